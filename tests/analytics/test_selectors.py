"""Dashboard figures: cohorts, churn, revenue across currencies, pipeline, the live panels,
and the pre-aggregated tables against the order-by-order computation."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from hamkor.activities.models import ActivityKind, ActivityOutcome
from hamkor.activities.selectors.stats import last_week
from hamkor.analytics.models import CohortFigures, LastPurchaseDay, MonthlyFigures
from hamkor.analytics.selectors import (
    get_churn,
    list_cohorts,
    list_new_customers_by_source,
    list_pipeline_by_stage,
    list_revenue_by_month,
)
from hamkor.analytics.selectors.dashboard import (
    get_follow_ups_due,
    get_meetings_last_week,
    get_tickets_sla,
)
from hamkor.analytics.selectors.live import live_churned, live_cohorts, live_monthly
from hamkor.analytics.services import refresh_analytics
from hamkor.core.models import ExchangeRate
from hamkor.sales.models import OrderStatus, StageOutcome
from hamkor.support.models import TicketStatus
from tests.activities.factories import ActivityFactory
from tests.analytics.helpers import in_month, month_start, noon, order, today
from tests.contacts.factories import CompanyFactory, ContactFactory, SourceFactory
from tests.sales.factories import DealFactory, PipelineFactory
from tests.support.factories import TicketFactory

pytestmark = pytest.mark.django_db


def _days_ago(days):
    return today() - datetime.timedelta(days=days)


@pytest.fixture
def cohort_set():
    """Cohort 5 months ago: A, B, C, D. A buys again +1 and +2, B +2, C +4; D never.
    Cohort 2 months ago: E, F; E buys again +1. A cancelled order of D at +1 does not count."""
    a, b, c, d, e, f = (ContactFactory() for _ in range(6))
    for contact in (a, b, c, d):
        order(contact, in_month(5, 3))
    order(a, in_month(4))
    order(a, in_month(3))
    order(a, in_month(3, 20))  # Twice in one month: one returning customer.
    order(b, in_month(3))
    order(c, in_month(1))
    order(d, in_month(4), status=OrderStatus.CANCELLED)
    order(e, in_month(2))
    order(f, in_month(2))
    order(e, in_month(1))
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}


def test_list_cohorts_hand_made_set(cohort_set):
    refresh_analytics()

    rows = {row.cohort: row for row in list_cohorts()}

    older = rows[month_start(5)]
    assert older.customers == 4
    assert older.returning[:5] == [1, 2, 0, 1, 0]
    assert older.retention[:5] == [
        Decimal("25.0"), Decimal("50.0"), Decimal("0.0"), Decimal("25.0"), Decimal("0.0"),
    ]  # fmt: skip
    # Months after the current one have not happened yet.
    assert older.retention[5:] == [None] * 6
    newer = rows[month_start(2)]
    assert newer.customers == 2
    assert newer.retention[:3] == [Decimal("50.0"), Decimal("0.0"), None]
    assert set(rows) == {month_start(5), month_start(2)}


def test_cohort_table_equals_live_computation(cohort_set):
    refresh_analytics()

    stored = {(row.cohort, row.offset): row.customers for row in CohortFigures.objects.all()}

    assert stored == live_cohorts()
    assert stored[(month_start(5), 0)] == 4


def test_get_churn_counts_customers_without_a_purchase_for_the_period():
    lapsed_long, lapsed, recent = ContactFactory(), ContactFactory(), ContactFactory()
    order(lapsed_long, _days_ago(400))
    order(lapsed, _days_ago(181))
    order(recent, _days_ago(400))
    order(recent, _days_ago(180))  # Exactly 180 days ago: not churned yet.
    refresh_analytics()

    default = get_churn()
    longer = get_churn(days=365)

    assert default.customers == 2
    assert [score.contact_id for score in default.sample] == [lapsed.pk, lapsed_long.pk]
    assert default.cutoff == _days_ago(180)
    assert longer.customers == 1
    assert [score.contact_id for score in longer.sample] == [lapsed_long.pk]


def test_churn_histogram_equals_live_computation(cohort_set):
    refresh_analytics()
    cutoff = month_start(2)

    stored = sum(row.customers for row in LastPurchaseDay.objects.filter(day__lt=cutoff))

    assert stored == len(live_churned(cutoff=cutoff)) == 3  # A, B and D


def test_list_revenue_by_month_converts_each_order_at_its_date():
    ExchangeRate.objects.create(date=in_month(3, 1), currency="USD", rate=Decimal("12000"))
    ExchangeRate.objects.create(date=in_month(1, 1), currency="USD", rate=Decimal("12600"))
    contact = ContactFactory()
    order(contact, in_month(2), total="100.00", currency="USD")  # 1 200 000
    order(contact, in_month(2, 11), total="300000")
    order(contact, in_month(1), total="100.00", currency="USD")  # 1 260 000
    order(contact, in_month(1), total="999.00", currency="USD", status=OrderStatus.CANCELLED)
    order(None, in_month(0, 1), company=CompanyFactory(), total="50000")
    refresh_analytics()

    months = list_revenue_by_month(months=4)

    assert [item.month for item in months] == [month_start(k) for k in (3, 2, 1, 0)]
    assert [item.revenue for item in months] == [
        Decimal("0.00"), Decimal("1500000.00"), Decimal("1260000.00"), Decimal("50000.00"),
    ]  # fmt: skip
    assert [item.orders for item in months] == [0, 2, 1, 1]


def test_monthly_table_equals_live_computation():
    ExchangeRate.objects.create(date=in_month(6, 1), currency="USD", rate=Decimal("12345.5"))
    web, shop = SourceFactory(name="Instagram"), SourceFactory(name="Shop")
    contacts = [ContactFactory(source=web), ContactFactory(source=shop), ContactFactory()]
    company = CompanyFactory(source=shop)
    for k, contact in enumerate(contacts):
        order(contact, in_month(5 - k), total=f"{k + 1}7.35", currency="USD")
        order(contact, in_month(2, 5 + k), total=f"{k + 1}50000")
    order(None, in_month(1), company=company, total="10.99", currency="USD")
    refresh_analytics()

    stored = {
        (row.month, row.source_id): (row.orders, row.revenue, row.new_customers)
        for row in MonthlyFigures.objects.all()
    }

    assert stored == live_monthly()


def test_list_new_customers_by_source_counts_first_purchases():
    instagram, radio = SourceFactory(name="Instagram"), SourceFactory(name="Radio")
    for _ in range(2):
        order(ContactFactory(source=instagram), in_month(1))
    returning = ContactFactory(source=radio)
    order(returning, in_month(5))
    order(returning, in_month(1))  # Not new in month 1.
    order(ContactFactory(source=radio), in_month(0, 1))
    order(ContactFactory(), in_month(0, 1))
    refresh_analytics()

    months, series = list_new_customers_by_source(months=3)

    assert months == [month_start(2), month_start(1), month_start(0)]
    assert [(item.name, item.counts) for item in series] == [
        ("Instagram", [0, 2, 0]),
        ("", [0, 0, 1]),
        ("Radio", [0, 0, 1]),
    ]


def test_list_pipeline_by_stage_sums_open_deals_in_base_currency():
    ExchangeRate.objects.create(date=_days_ago(3), currency="USD", rate=Decimal("12500"))
    pipeline = PipelineFactory(name="Sales")
    new, proposal = pipeline.stages.get(name="New"), pipeline.stages.get(name="Proposal")
    DealFactory(pipeline=pipeline, stage=new, amount=Decimal("100.00"), currency="USD")
    DealFactory(pipeline=pipeline, stage=new, amount=Decimal("250000.00"), currency="UZS")
    DealFactory(pipeline=pipeline, stage=proposal, amount=Decimal("40.00"), currency="USD")
    DealFactory(
        pipeline=pipeline, stage=proposal, amount=Decimal("999.00"), status=StageOutcome.WON
    )
    DealFactory(pipeline=pipeline, stage=proposal, amount=Decimal("1.00"), currency="EUR")

    figures, unconverted = list_pipeline_by_stage()

    assert [(f.stage, f.deals, f.amount) for f in figures] == [
        ("New", 2, Decimal("1500000.00")),
        ("Proposal", 2, Decimal("500000.00")),
    ]
    assert unconverted == 1


def test_get_meetings_last_week_counts_held_and_successful():
    start, _end = last_week()
    inside = noon(start + datetime.timedelta(days=2))
    for outcome in (
        ActivityOutcome.SUCCESSFUL,
        ActivityOutcome.SUCCESSFUL,
        ActivityOutcome.UNSUCCESSFUL,
    ):
        ActivityFactory(kind=ActivityKind.MEETING, due_at=inside, done_at=inside, outcome=outcome)
    ActivityFactory(kind=ActivityKind.CALL, due_at=inside, done_at=inside, outcome="successful")
    this_week = noon(start + datetime.timedelta(days=8))
    ActivityFactory(kind=ActivityKind.MEETING, due_at=this_week, done_at=this_week)

    meetings = get_meetings_last_week()

    assert (meetings.held, meetings.successful) == (3, 2)
    assert meetings.success_rate == Decimal("66.7")


def test_get_follow_ups_due_splits_overdue_and_later_today():
    now = timezone.now()
    ActivityFactory(due_at=now - datetime.timedelta(days=2))
    ActivityFactory(due_at=now - datetime.timedelta(minutes=1))
    ActivityFactory(due_at=now - datetime.timedelta(days=1), done_at=now, outcome="successful")
    ActivityFactory(due_at=now + datetime.timedelta(days=2))
    zone = timezone.get_current_timezone()
    end_of_day = datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    if end_of_day - now > datetime.timedelta(seconds=30):
        ActivityFactory(due_at=end_of_day - datetime.timedelta(seconds=1))
        later_today = 1
    else:
        later_today = 0

    follow_ups = get_follow_ups_due()

    assert (follow_ups.overdue, follow_ups.due_today) == (2, later_today)


def test_get_tickets_sla_counts_breached_and_at_risk():
    now = timezone.now()
    TicketFactory(status=TicketStatus.OPEN, resolution_breached_at=now)
    TicketFactory(status=TicketStatus.NEW, first_response_due_at=now + datetime.timedelta(hours=1))
    TicketFactory(status=TicketStatus.OPEN, resolution_due_at=now + datetime.timedelta(hours=5))
    TicketFactory(
        status=TicketStatus.WAITING,
        paused_at=now,
        first_response_at=now,
        resolution_due_at=now + datetime.timedelta(minutes=5),
    )
    TicketFactory(status=TicketStatus.CLOSED, resolution_breached_at=now)

    tickets = get_tickets_sla()

    assert (tickets.active, tickets.breached, tickets.at_risk, tickets.on_track) == (4, 1, 1, 2)
