"""The report engine: scoping by the owning app's rules, filters, groups and totals."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.reports.engine import (
    ReportInputError,
    get_totals,
    groupings,
    list_groups,
    list_rows,
    parse_query,
    present_rows,
)
from hamkor.reports.registry import get_report, list_reports
from hamkor.sales.models import OrderChannel, OrderStatus
from tests.accounts.factories import TeamFactory, UserFactory
from tests.billing.factories import ExchangeRateFactory
from tests.contacts.factories import ContactFactory
from tests.reports.factories import MAKERS
from tests.sales.factories import OrderFactory, PaymentTypeFactory

pytestmark = pytest.mark.django_db


def _at(day, hour=12):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _run(key, viewer, **params):
    report = get_report(key)
    query = parse_query(report, viewer, params)
    return report, query


def test_every_list_has_a_report():
    assert {r.key for r in list_reports()} == set(MAKERS)


@pytest.mark.parametrize("key", sorted(MAKERS))
def test_report_shows_only_records_of_the_viewers_team(key):
    mine, theirs = TeamFactory(name="North"), TeamFactory(name="South")
    seller = UserFactory(role=Role.SALES, team=mine)
    MAKERS[key](UserFactory(team=mine))
    MAKERS[key](UserFactory(team=theirs))

    report, query = _run(key, seller)

    assert list_rows(report, seller, query).count() == 1
    assert get_totals(report, seller, query).count == 1


@pytest.mark.parametrize("key", sorted(MAKERS))
def test_report_shows_managers_every_record(key):
    MAKERS[key](UserFactory(team=TeamFactory(name="North")))
    MAKERS[key](UserFactory(team=TeamFactory(name="South")))
    manager = UserFactory(role=Role.MANAGER, team=None)

    report, query = _run(key, manager)

    assert list_rows(report, manager, query).count() == 2


@pytest.fixture
def orders():
    """Five orders of one manager's view: 3 UZS, 2 USD, over two months and two channels."""
    cash, card = PaymentTypeFactory(name="Cash"), PaymentTypeFactory(name="Card")
    contact = ContactFactory(first_name="Дильноза", last_name="Каримова")
    rows = [
        ("2026-10-05", "UZS", "100000.00", OrderChannel.STORE, cash),
        ("2026-10-20", "UZS", "250000.50", OrderChannel.PHONE, cash),
        ("2026-11-02", "UZS", "50000.00", OrderChannel.STORE, card),
        ("2026-11-10", "USD", "20.00", OrderChannel.STORE, card),
        ("2026-11-30", "USD", "5.50", OrderChannel.PHONE, cash),
    ]
    for day, currency, total, channel, payment in rows:
        OrderFactory(
            contact=contact,
            ordered_at=_at(datetime.date.fromisoformat(day)),
            currency=currency,
            total=Decimal(total),
            channel=channel,
            payment_type=payment,
            status=OrderStatus.CONFIRMED,
        )
    # 1 USD = 12,500 UZS from September; 12,600 from 2026-11-15.
    ExchangeRateFactory(date=datetime.date(2026, 9, 1), currency="USD", rate=Decimal("12500"))
    ExchangeRateFactory(date=datetime.date(2026, 11, 15), currency="USD", rate=Decimal("12600"))
    return UserFactory(role=Role.MANAGER, team=None)


def test_totals_sum_each_currency_and_convert_to_base_at_the_range_end(orders, settings):
    settings.HAMKOR_BASE_CURRENCY = "UZS"
    report, query = _run("orders", orders, date_from="2026-10-01", date_to="2026-11-10")

    totals = get_totals(report, orders, query)

    assert totals.count == 4
    [money] = totals.money
    assert money.by_currency == [("USD", Decimal("20.00")), ("UZS", Decimal("400000.50"))]
    # 20 USD at the 2026-11-10 rate (12,500) plus 400,000.50 UZS.
    assert money.base == Decimal("650000.50")


def test_group_by_channel_sums_per_currency_and_base(orders, settings):
    settings.HAMKOR_BASE_CURRENCY = "UZS"
    report, query = _run("orders", orders, group_by="channel", date_to="2026-11-30")

    groups = list_groups(report, orders, query)
    summaries = {s.label: s for s in groups.present(groups.rows)}

    assert groups.currencies == ["USD", "UZS"]
    assert set(summaries) == {"Phone", "Store"}
    phone, shop = summaries["Phone"], summaries["Store"]
    assert (phone.count, shop.count) == (2, 3)
    assert phone.money[0].by_currency == [("USD", Decimal("5.50")), ("UZS", Decimal("250000.50"))]
    # 5.50 USD at 12,600 = 69,300.
    assert phone.money[0].base == Decimal("319300.50")
    assert shop.money[0].by_currency == [("USD", Decimal("20.00")), ("UZS", Decimal("150000.00"))]
    assert shop.money[0].base == Decimal("402000.00")


def test_group_by_month_keeps_months_in_order(orders):
    report, query = _run("orders", orders, group_by="month")

    groups = list_groups(report, orders, query)
    summaries = list(groups.present(groups.rows))

    assert [(s.label, s.count) for s in summaries] == [
        (datetime.date(2026, 10, 1), 2),
        (datetime.date(2026, 11, 1), 3),
    ]


def test_group_by_payment_type_is_one_query_per_page(orders, django_assert_num_queries):
    report, query = _run("orders", orders, group_by="payment")
    groups = list_groups(report, orders, query)

    with django_assert_num_queries(1):
        labels = [(row["g_label"], row["n"]) for row in groups.rows]

    assert labels == [("Card", 2), ("Cash", 3)]


def test_base_total_is_missing_without_a_rate(orders, settings):
    settings.HAMKOR_BASE_CURRENCY = "UZS"
    report, query = _run("orders", orders, date_to="2026-08-31")
    OrderFactory(
        contact=ContactFactory(),
        currency="EUR",
        total=Decimal("1"),
        ordered_at=_at(datetime.date(2026, 8, 1)),
    )

    totals = get_totals(report, orders, query)

    assert totals.money[0].base is None
    assert "EUR" in totals.money[0].missing_rate


def test_filters_narrow_by_choice_and_text(orders):
    report, query = _run("orders", orders, channel="phone", q="Каримова")

    rows = list(present_rows(report, list_rows(report, orders, query)))

    assert [(r[1], r[3], r[6]) for r in rows] == [
        ("Каримова Дильноза", "Phone", Decimal("5.50")),
        ("Каримова Дильноза", "Phone", Decimal("250000.50")),
    ]


def test_rows_come_newest_first_with_choice_labels(orders):
    report, query = _run("orders", orders)

    rows = list(present_rows(report, list_rows(report, orders, query)))

    assert [r[7] for r in rows] == ["USD", "USD", "UZS", "UZS", "UZS"]
    assert rows[0][2] == "Confirmed"
    assert rows[0][0] == timezone.localtime(_at(datetime.date(2026, 11, 30)))


def test_owner_filter_keeps_that_owners_records():
    team = TeamFactory(name="North")
    aziz, bobur = UserFactory(team=team), UserFactory(team=team)
    MAKERS["deals"](aziz)
    MAKERS["deals"](bobur)
    report, query = _run("deals", aziz, owner=str(bobur.pk))

    assert list_rows(report, aziz, query).count() == 1
    assert list_rows(report, aziz, query).get()["col_owner"] == str(bobur.get_full_name())


def test_number_columns_are_summed():
    owner = UserFactory()
    MAKERS["time"](owner)
    MAKERS["time"](owner)
    report, query = _run("time", owner, group_by="project")

    totals = get_totals(report, owner, query)

    assert totals.numbers == [("Minutes", Decimal(120))]
    assert totals.money == []


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"colour": "red"}, "colour"),
        ({"group_by": "weather"}, "group_by"),
        ({"date_from": "2026-13-01"}, "date_from"),
        ({"date_from": "2026-11-02", "date_to": "2026-11-01"}, "date_to"),
        ({"status": "lost"}, "status"),
        ({"owner": "abc"}, "owner"),
    ],
)
def test_bad_input_names_the_parameter(params, name):
    viewer = UserFactory(role=Role.MANAGER)

    with pytest.raises(ReportInputError) as caught:
        parse_query(get_report("orders"), viewer, params)

    assert name in caught.value.errors
    assert name in caught.value.message


def test_date_range_takes_whole_local_days(orders):
    contact = ContactFactory()
    late = _at(datetime.date(2026, 12, 1), 23)
    OrderFactory(contact=contact, ordered_at=late, total=Decimal("7"))
    OrderFactory(contact=contact, ordered_at=late + datetime.timedelta(hours=1), total=Decimal("9"))
    report, query = _run("orders", orders, date_from="2026-12-01", date_to="2026-12-01")

    rows = list(list_rows(report, orders, query))

    assert [row["col_total"] for row in rows] == [Decimal("7")]


@pytest.mark.parametrize("key", sorted(MAKERS))
def test_every_grouping_splits_the_total_count(key):
    owner = UserFactory(team=TeamFactory(name="North"))
    MAKERS[key](owner)
    MAKERS[key](owner)
    report = get_report(key)
    total = get_totals(report, owner, parse_query(report, owner, {})).count

    for grouping in groupings(report):
        groups = list_groups(report, owner, parse_query(report, owner, {"group_by": grouping.key}))
        assert sum(s.count for s in groups.present(groups.rows)) == total == 2, grouping.key


@pytest.mark.parametrize("key", sorted(MAKERS))
def test_every_filter_narrows_to_matching_rows(key):
    owner, other = UserFactory(team=TeamFactory(name="North")), UserFactory(team=None)
    MAKERS[key](owner)
    report = get_report(key)
    today = timezone.localdate()
    far = (today + datetime.timedelta(days=4000)).isoformat()
    params = {"date_from": far, "q": "no-such-words-anywhere", "owner": str(other.pk)}
    manager = UserFactory(role=Role.MANAGER, team=None)

    for spec in report.filters:
        name = "date_from" if spec.kind == "date" else spec.key
        if spec.kind in ("choice", "team"):
            continue
        query = parse_query(report, manager, {name: params[name]})
        assert list_rows(report, manager, query).count() == 0, name


def test_totals_are_one_query_and_one_rate_per_foreign_currency(
    orders, settings, django_assert_num_queries
):
    settings.HAMKOR_BASE_CURRENCY = "UZS"
    report, query = _run("orders", orders, date_to="2026-11-30")

    with django_assert_num_queries(2):
        totals = get_totals(report, orders, query)

    assert totals.count == 5
    # 25.50 USD at 12,600 = 321,300, plus 400,000.50 UZS.
    assert totals.money[0].base == Decimal("721300.50")
