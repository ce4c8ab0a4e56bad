"""Exports: CSV with a BOM, XLSX with real types, PDF with Cyrillic names and the totals."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone
from pypdf import PdfReader

from hamkor.accounts.models import Role
from hamkor.reports.engine import ReportInputError, parse_query
from hamkor.reports.exports import (
    PDF_ROW_LIMIT,
    _Table,
    csv_lines,
    export_response,
    render_pdf,
    write_xlsx,
)
from hamkor.reports.registry import get_report
from tests.accounts.factories import TeamFactory, UserFactory
from tests.billing.factories import ExchangeRateFactory
from tests.contacts.factories import ContactFactory
from tests.sales.factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(settings):
    """A salesperson with two orders (UZS and USD) for Uzbek and Russian names; another
    team's order with a name the seller must never see."""
    settings.HAMKOR_BASE_CURRENCY = "UZS"
    ExchangeRateFactory(date=datetime.date(2026, 1, 1), currency="USD", rate=Decimal("12500"))
    team = TeamFactory(name="North")
    user = UserFactory(role=Role.SALES, team=team)
    moment = datetime.datetime(2026, 11, 3, 10, 30, tzinfo=timezone.get_current_timezone())
    OrderFactory(
        contact=ContactFactory(owner=user, first_name="Gʻayrat", last_name="Oʻktamov"),
        currency="UZS",
        total=Decimal("1250000.50"),
        ordered_at=moment,
    )
    OrderFactory(
        contact=ContactFactory(owner=user, first_name="Дильноза", last_name="Каримова"),
        currency="USD",
        total=Decimal("20.00"),
        ordered_at=moment + datetime.timedelta(days=1),
    )
    OrderFactory(
        contact=ContactFactory(
            owner=UserFactory(team=TeamFactory(name="South")), last_name="Hidden"
        ),
        currency="UZS",
        total=Decimal("999"),
    )
    return user


def _table(viewer, key="orders", **params):
    report = get_report(key)
    return _Table(report, viewer, parse_query(report, viewer, params))


def _streamed(response):
    return b"".join(response.streaming_content)


def test_csv_starts_with_a_bom_and_reads_back(seller):
    report = get_report("orders")
    response = export_response(report, seller, parse_query(report, seller, {}), fmt="csv")

    body = _streamed(response)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))

    assert body.startswith(b"\xef\xbb\xbf")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="orders-')
    assert rows[0] == [
        "Ordered",
        "Customer",
        "Status",
        "Channel",
        "Payment",
        "Owner",
        "Total",
        "Currency",
    ]
    assert [(r[0], r[1], r[6], r[7]) for r in rows[1:]] == [
        ("2026-11-04 10:30", "Каримова Дильноза", "20.00", "USD"),
        ("2026-11-03 10:30", "Oʻktamov Gʻayrat", "1250000.50", "UZS"),
    ]


def test_csv_with_semicolons(seller):
    lines = list(csv_lines(_table(seller), ";"))

    assert lines[0].startswith("\ufeffOrdered;Customer;")
    assert lines[1].rstrip("\r\n").endswith(";20.00;USD")


def test_csv_refuses_another_delimiter(seller):
    report = get_report("orders")

    with pytest.raises(ReportInputError):
        export_response(report, seller, parse_query(report, seller, {}), fmt="csv", delimiter="|")


def test_xlsx_has_dates_numbers_and_unicode_names(seller):
    buffer = io.BytesIO()
    write_xlsx(_table(seller), buffer)

    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))

    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert rows[0][:2] == ("Ordered", "Customer")
    first, second = rows[1], rows[2]
    assert first[0] == datetime.datetime.fromisoformat("2026-11-04T10:30")
    assert isinstance(first[0], datetime.datetime)
    assert sheet["A2"].number_format == "yyyy-mm-dd hh:mm"
    assert first[1] == "Каримова Дильноза"
    assert second[1] == "Oʻktamov Gʻayrat"
    assert first[6] == 20.0
    assert isinstance(second[6], float | int)
    assert second[6] == 1250000.5
    assert sheet["G2"].number_format == "#,##0.00"
    assert (first[7], second[7]) == ("USD", "UZS")
    assert "Hidden" not in str(rows)
    # After a blank row, the totals: the count, each currency, and in the base currency.
    assert rows[3] == (None,) * len(rows[3]) or rows[3][0] is None
    assert [r[0] for r in rows[4:]] == [
        "2 rows",
        "Total: 20 USD",
        "Total: 1250000.50 UZS",
        # 20 USD at 12,500 + 1,250,000.50
        "Total in UZS: 1500000.50",
    ]


def test_xlsx_of_deals_has_real_date_cells(seller):
    from tests.sales.factories import DealFactory

    DealFactory(
        contact=ContactFactory(owner=seller), expected_close_date=datetime.date(2026, 12, 24)
    )
    buffer = io.BytesIO()
    write_xlsx(_table(seller, "deals"), buffer)

    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active

    assert sheet["G2"].value == datetime.datetime.fromisoformat("2026-12-24T00:00")
    assert sheet["G2"].is_date
    assert sheet["G2"].number_format == "yyyy-mm-dd"
    assert sheet["H2"].value == 1000


def test_grouped_xlsx_has_a_column_per_currency_and_the_base(seller):
    buffer = io.BytesIO()
    write_xlsx(_table(seller, group_by="owner"), buffer)

    rows = list(openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active.values)

    assert rows[0] == ("Owner", "Count", "Total (USD)", "Total (UZS)", "Total in UZS")
    assert rows[1] == (seller.get_full_name(), 2, 20, 1250000.5, 1500000.5)


def test_xlsx_download_is_a_file_response(seller):
    report = get_report("orders")

    response = export_response(report, seller, parse_query(report, seller, {}), fmt="xlsx")

    body = b"".join(response.streaming_content)
    assert body[:2] == b"PK"
    assert int(response["Content-Length"]) == len(body)
    assert "spreadsheetml" in response["Content-Type"]


def test_pdf_has_the_title_a_cyrillic_name_and_the_totals(seller):
    report = get_report("orders")
    query = parse_query(report, seller, {"date_from": "2026-11-01", "date_to": "2026-11-30"})

    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(render_pdf(report, seller, query))).pages
    )

    assert "Orders" in text
    assert "Каримова Дильноза" in text
    assert "Oʻktamov" in text
    assert "Ordered: 2026-11-01 – 2026-11-30" in text
    assert "Total in UZS: 1500000.50" in text
    assert "Hidden" not in text


def test_pdf_repeats_the_header_on_every_page(seller):
    for day in range(60):
        OrderFactory(contact=ContactFactory(owner=seller), total=Decimal(day))
    report = get_report("orders")

    reader = PdfReader(io.BytesIO(render_pdf(report, seller, parse_query(report, seller, {}))))

    assert len(reader.pages) > 1
    assert all("Customer" in page.extract_text() for page in reader.pages)


def test_pdf_only_for_main_reports(seller):
    report = get_report("contacts")

    with pytest.raises(ReportInputError):
        export_response(report, seller, parse_query(report, seller, {}), fmt="pdf")


def test_pdf_refuses_lists_longer_than_the_limit(seller, monkeypatch):
    monkeypatch.setattr("hamkor.reports.exports.PDF_ROW_LIMIT", 1)
    report = get_report("orders")

    with pytest.raises(ReportInputError) as caught:
        render_pdf(report, seller, parse_query(report, seller, {}))

    assert "at most 1 rows" in caught.value.message
    assert PDF_ROW_LIMIT == 5000


def test_every_export_is_kept_in_the_audit_log_with_who_and_what(seller):
    from hamkor.core.models import AuditEvent

    report = get_report("orders")
    query = parse_query(report, seller, {"group_by": "owner"})

    export_response(report, seller, query, fmt="xlsx")

    event = AuditEvent.objects.get(verb="report.exported")
    assert (event.actor, event.target_id) == (seller, "orders")
    assert event.data["format"] == "xlsx"
    assert event.data["group_by"] == "owner"
