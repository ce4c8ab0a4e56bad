"""REST API: the catalogue, a report page with totals, exports, permissions and bad input."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from hamkor.accounts.models import Role
from tests.accounts.factories import TeamFactory, UserFactory
from tests.api.helpers import api_client
from tests.billing.factories import ExchangeRateFactory
from tests.contacts.factories import ContactFactory
from tests.sales.factories import OrderFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/reports"


@pytest.fixture
def seller(settings):
    settings.HAMKOR_BASE_CURRENCY = "UZS"
    ExchangeRateFactory(date=datetime.date(2026, 1, 1), currency="USD", rate=Decimal("12500"))
    user = UserFactory(role=Role.SALES, team=TeamFactory(name="North"))
    day = datetime.datetime(2026, 11, 3, 9, tzinfo=timezone.get_current_timezone())
    for currency, total in (("UZS", "300000.00"), ("UZS", "200000.00"), ("USD", "10.00")):
        OrderFactory(
            contact=ContactFactory(owner=user, last_name="Юсупова"),
            currency=currency,
            total=Decimal(total),
            ordered_at=day,
        )
    OrderFactory(contact=ContactFactory(owner=UserFactory(team=TeamFactory(name="South"))))
    return user


def test_catalogue_lists_reports_with_filters_and_groupings(seller):
    reports = api_client(seller).get(f"{BASE}/").json()

    orders = next(r for r in reports if r["key"] == "orders")
    assert len(reports) == 13
    assert orders["formats"] == ["csv", "xlsx", "pdf"]
    assert {"key": "total", "label": "Total", "type": "money", "total": True} in orders["columns"]
    dates = next(f for f in orders["filters"] if f["kind"] == "date")
    assert dates["params"] == ["date_from", "date_to"]
    status = next(f for f in orders["filters"] if f["key"] == "status")
    assert ["paid", "Paid"] in status["choices"]
    assert {"key": "month", "label": "Month"} in orders["groupings"]


def test_run_returns_the_viewers_rows_and_totals(seller):
    answer = api_client(seller).get(f"{BASE}/orders", {"limit": 2}).json()

    assert answer["count"] == 3
    assert len(answer["items"]) == 2
    assert answer["items"][0]["customer"].startswith("Юсупова")
    assert answer["items"][0]["ordered"].startswith("2026-11-03T")
    totals = answer["totals"]
    assert totals["count"] == 3
    assert totals["money"][0]["by_currency"] == {"USD": "10.00", "UZS": "500000.00"}
    # 10 USD at 12,500 + 500,000.
    assert totals["money"][0]["base"] == "625000.00"
    assert totals["money"][0]["base_currency"] == "UZS"


def test_run_grouped_by_month(seller):
    answer = api_client(seller).get(f"{BASE}/orders", {"group_by": "month"}).json()

    assert answer["group_by"] == "month"
    assert answer["count"] == 1
    [group] = answer["items"]
    assert group["label"] == "2026-11-01"
    assert group["count"] == 3
    assert group["money"][0]["base"] == "625000.00"


def test_run_filters_by_status(seller):
    answer = api_client(seller).get(f"{BASE}/orders", {"status": "paid"}).json()

    assert answer["count"] == 0
    assert answer["totals"]["count"] == 0


def test_anonymous_gets_401():
    assert Client().get(f"{BASE}/orders").status_code == 401


def test_unknown_report_is_404(seller):
    response = api_client(seller).get(f"{BASE}/weather")

    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"colour": "red"}, "Unknown filter colour"),
        ({"group_by": "weather"}, "group_by"),
        ({"date_from": "03.11.2026x"}, "date_from"),
        ({"limit": "many"}, "limit"),
    ],
)
def test_bad_input_is_400_with_a_message(seller, params, words):
    response = api_client(seller).get(f"{BASE}/orders", params)

    assert response.status_code == 400
    assert words in response.json()["detail"]


def test_export_csv_holds_only_the_viewers_rows(seller):
    response = api_client(seller).get(f"{BASE}/orders/export", {"format": "csv"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert response.status_code == 200
    assert len(rows) == 4
    assert all(r[1].startswith("Юсупова") for r in rows[1:])


def test_export_xlsx_grouped(seller):
    response = api_client(seller).get(
        f"{BASE}/orders/export", {"format": "xlsx", "group_by": "status"}
    )

    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.values)
    assert rows[1][:2] == ("Confirmed", 3)


def test_export_rejects_an_unknown_format(seller):
    response = api_client(seller).get(f"{BASE}/orders/export", {"format": "doc"})

    assert response.status_code == 400
    assert "csv, xlsx or pdf" in response.json()["detail"]


def test_export_pdf_of_a_report_without_one_is_400(seller):
    response = api_client(seller).get(f"{BASE}/contacts/export", {"format": "pdf"})

    assert response.status_code == 400


def test_export_bad_date_is_400(seller):
    response = api_client(seller).get(
        f"{BASE}/orders/export", {"format": "csv", "date_to": "2026-02-30"}
    )

    assert response.status_code == 400
    assert "date_to" in response.json()["detail"]
