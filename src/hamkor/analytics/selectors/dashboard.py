"""Reads for the dashboard: pre-aggregated figures plus the small live counts.

The dashboard is for roles that see everything (managers, administrators): its figures are
the whole organisation's, so ``may_view_dashboard`` is checked by every view and endpoint.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from hamkor.accounts.models import User
from hamkor.activities.models import Activity, ActivityKind, ActivityOutcome
from hamkor.activities.selectors.activities import local_day_bounds
from hamkor.activities.selectors.stats import last_week
from hamkor.analytics.models import (
    CohortFigures,
    LastPurchaseDay,
    MonthlyFigures,
    Refresh,
    RfmScore,
)
from hamkor.analytics.services.refresh import COHORT_MONTHS, month_index, month_start
from hamkor.contacts.models import Source
from hamkor.core.currency import MissingRateError, base_currency, convert, round_money
from hamkor.sales.models import Deal, PipelineStage, StageOutcome
from hamkor.support.models import ACTIVE_STATUSES, Ticket

DEFAULT_CHURN_DAYS = 180
DEFAULT_MONTHS = 12
# An open ticket is "at risk" when a due time it has not met comes within this many hours.
AT_RISK_HOURS = 2
CHURN_SAMPLE = 10


def may_view_dashboard(viewer: User) -> bool:
    """Managers and administrators: the dashboard shows the whole organisation's figures."""
    return bool(viewer.is_authenticated and viewer.is_active and viewer.sees_everything)


def get_latest_refresh() -> Refresh | None:
    """The newest finished rebuild of the figures, or None before the first one."""
    return Refresh.objects.order_by("-finished_at", "-id").first()


@dataclass(frozen=True)
class StageFigure:
    pipeline: str
    stage: str
    deals: int
    amount: Decimal


def list_pipeline_by_stage(*, on: datetime.date | None = None) -> tuple[list[StageFigure], int]:
    """Open deals per stage (count, amount in the base currency at ``on``'s rate), in board
    order; and how many deals were left out of the amounts for want of a rate."""
    day = on or timezone.localdate()
    # Grouped on the deal table alone (no joins): the stage names come in a second query.
    rows = (
        Deal.objects.filter(status=StageOutcome.OPEN)
        .values("stage_id", "currency")
        .annotate(deals=Count("id"), amount=Sum("amount"))
        .order_by("stage_id", "currency")
    )
    grouped = list(rows)
    stages = {
        stage.pk: stage
        for stage in PipelineStage.objects.filter(
            pk__in={row["stage_id"] for row in grouped}
        ).select_related("pipeline")
    }
    grouped.sort(
        key=lambda row: (
            stages[row["stage_id"]].pipeline.position,
            stages[row["stage_id"]].pipeline.name,
            stages[row["stage_id"]].position,
            row["stage_id"],
        )
    )
    names: dict[int, tuple[str, str]] = {}
    deals: dict[int, int] = defaultdict(int)
    amounts: dict[int, Decimal] = defaultdict(Decimal)
    unconverted = 0
    for row in grouped:
        stage_id = row["stage_id"]
        names[stage_id] = (stages[stage_id].pipeline.name, stages[stage_id].name)
        deals[stage_id] += row["deals"]
        try:
            amounts[stage_id] += convert(row["amount"], row["currency"], on=day)
        except MissingRateError:
            unconverted += row["deals"]
    figures = [
        StageFigure(pipeline, stage, deals[stage_id], amounts[stage_id])
        for stage_id, (pipeline, stage) in names.items()
    ]
    return figures, unconverted


@dataclass(frozen=True)
class MonthFigure:
    month: datetime.date
    orders: int
    revenue: Decimal


def month_window(months: int, today: datetime.date | None = None) -> list[datetime.date]:
    """The first days of the last ``months`` months, ending with the current one."""
    current = month_index(today or timezone.localdate())
    return [month_start(index) for index in range(current - months + 1, current + 1)]


def list_revenue_by_month(*, months: int = DEFAULT_MONTHS) -> list[MonthFigure]:
    """Revenue and orders per month for the last ``months`` months (pre-aggregated)."""
    window = month_window(months)
    currency = base_currency()
    totals = {
        row["month"]: row
        for row in MonthlyFigures.objects.filter(month__gte=window[0])
        .values("month")
        .annotate(orders=Sum("orders"), revenue=Sum("revenue"))
        .order_by("month")
    }
    return [
        MonthFigure(
            month=month,
            orders=int(totals[month]["orders"]) if month in totals else 0,
            revenue=round_money(
                Decimal(totals[month]["revenue"]) if month in totals else Decimal("0"), currency
            ),
        )
        for month in window
    ]


@dataclass(frozen=True)
class SourceSeries:
    source_id: int | None
    name: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


def list_new_customers_by_source(
    *, months: int = DEFAULT_MONTHS
) -> tuple[list[datetime.date], list[SourceSeries]]:
    """Contacts whose first purchase fell in each of the last ``months`` months, per source
    (most customers first; None is "no source")."""
    window = month_window(months)
    position = {month: index for index, month in enumerate(window)}
    counts: dict[int | None, list[int]] = defaultdict(lambda: [0] * len(window))
    rows = (
        MonthlyFigures.objects.filter(month__gte=window[0], new_customers__gt=0)
        .values_list("month", "source_id", "new_customers")
        .order_by("month", "source_id")
    )
    for month, source_id, new in rows:
        if month in position:
            counts[source_id][position[month]] += new
    names = dict(
        Source.objects.filter(pk__in=[pk for pk in counts if pk]).values_list("pk", "name")
    )
    series = [
        SourceSeries(source_id=pk, name=names.get(pk, "") if pk else "", counts=values)
        for pk, values in counts.items()
    ]
    series.sort(key=lambda item: (-item.total, item.name))
    return window, series


@dataclass(frozen=True)
class CohortRow:
    cohort: datetime.date
    customers: int
    # Percent of the cohort buying again 1, 2, … 11 months later; None: not yet happened.
    retention: list[Decimal | None]
    returning: list[int | None]


def list_cohorts(*, months: int = COHORT_MONTHS) -> list[CohortRow]:
    """Retention of the last ``months`` first-purchase cohorts (pre-aggregated)."""
    window = month_window(months)
    current = month_index(window[-1])
    cells: dict[tuple[datetime.date, int], int] = {
        (cohort, offset): customers
        for cohort, offset, customers in CohortFigures.objects.filter(
            cohort__gte=window[0]
        ).values_list("cohort", "offset", "customers")
    }
    rows = []
    for cohort in window:
        size = cells.get((cohort, 0), 0)
        if not size:
            continue
        retention: list[Decimal | None] = []
        returning: list[int | None] = []
        for offset in range(1, COHORT_MONTHS):
            if month_index(cohort) + offset > current:
                retention.append(None)
                returning.append(None)
                continue
            count = cells.get((cohort, offset), 0)
            returning.append(count)
            retention.append((Decimal(100 * count) / size).quantize(Decimal("0.1")))
        rows.append(CohortRow(cohort, size, retention, returning))
    return rows


@dataclass(frozen=True)
class Churn:
    days: int
    cutoff: datetime.date
    customers: int
    # The most recently lapsed first: the ones most likely to be won back.
    sample: list[RfmScore] = field(default_factory=list)


def churn_cutoff(days: int, today: datetime.date | None = None) -> datetime.date:
    """A customer is churned when their last purchase is before this day."""
    return (today or timezone.localdate()) - datetime.timedelta(days=days)


def list_churned(*, days: int = DEFAULT_CHURN_DAYS) -> QuerySet[RfmScore]:
    """Customers with no purchase in the last ``days`` days, most recently lapsed first."""
    return (
        RfmScore.objects.filter(last_order_on__lt=churn_cutoff(days))
        .select_related("contact")
        .order_by("-last_order_on", "contact_id")
    )


def get_churn(*, days: int = DEFAULT_CHURN_DAYS) -> Churn:
    """How many customers lapsed (from the last-purchase-day histogram) and the latest few."""
    cutoff = churn_cutoff(days)
    total = LastPurchaseDay.objects.filter(day__lt=cutoff).aggregate(n=Sum("customers"))["n"]
    return Churn(
        days=days,
        cutoff=cutoff,
        customers=int(total or 0),
        sample=list(list_churned(days=days)[:CHURN_SAMPLE]),
    )


@dataclass(frozen=True)
class Meetings:
    start: datetime.date
    end: datetime.date  # exclusive
    held: int
    successful: int

    @property
    def success_rate(self) -> Decimal | None:
        if not self.held:
            return None
        return (Decimal(100 * self.successful) / self.held).quantize(Decimal("0.1"))


def get_meetings_last_week() -> Meetings:
    """Meetings done in the previous Monday-to-Sunday week and how many were successful.

    The same rule as the activity statistics page, counted in the database: that page
    loads each activity, which at a hundred thousand meetings a week is too slow here.
    """
    start, end = last_week()
    counts = Activity.objects.filter(
        kind=ActivityKind.MEETING,
        done_at__gte=local_day_bounds(start)[0],
        done_at__lt=local_day_bounds(end)[0],
    ).aggregate(
        held=Count("id"),
        successful=Count("id", filter=Q(outcome=ActivityOutcome.SUCCESSFUL)),
    )
    return Meetings(start, end, counts["held"], counts["successful"])


@dataclass(frozen=True)
class FollowUps:
    overdue: int
    due_today: int


def get_follow_ups_due() -> FollowUps:
    """Open activities past their due time, and those still due later today."""
    now = timezone.now()
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    end = datetime.datetime.combine(
        today + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    counts = Activity.objects.filter(done_at__isnull=True, due_at__lt=end).aggregate(
        overdue=Count("id", filter=Q(due_at__lt=now)),
        today=Count("id", filter=Q(due_at__gte=now)),
    )
    return FollowUps(overdue=counts["overdue"], due_today=counts["today"])


@dataclass(frozen=True)
class TicketsSla:
    active: int
    breached: int
    at_risk: int

    @property
    def on_track(self) -> int:
        return self.active - self.breached - self.at_risk


def get_tickets_sla() -> TicketsSla:
    """Active tickets: how many missed an SLA due time, and how many will within hours."""
    now = timezone.now()
    soon = now + datetime.timedelta(hours=AT_RISK_HOURS)
    breached = Q(first_response_breached_at__isnull=False) | Q(resolution_breached_at__isnull=False)
    response_soon = Q(first_response_at__isnull=True, first_response_due_at__lte=soon)
    resolution_soon = Q(paused_at__isnull=True, resolution_due_at__lte=soon)
    counts = Ticket.objects.filter(status__in=ACTIVE_STATUSES).aggregate(
        active=Count("id"),
        breached=Count("id", filter=breached),
        at_risk=Count("id", filter=~breached & (response_soon | resolution_soon)),
    )
    return TicketsSla(counts["active"], counts["breached"], counts["at_risk"])


@dataclass(frozen=True)
class Dashboard:
    currency: str
    months: int
    refreshed: Refresh | None
    pipeline: list[StageFigure]
    pipeline_unconverted: int
    revenue: list[MonthFigure]
    new_months: list[datetime.date]
    new_by_source: list[SourceSeries]
    meetings: Meetings
    follow_ups: FollowUps
    tickets: TicketsSla
    cohorts: list[CohortRow]
    churn: Churn


def get_dashboard(
    *, viewer: User, churn_days: int = DEFAULT_CHURN_DAYS, months: int = DEFAULT_MONTHS
) -> Dashboard:
    """Every panel of the dashboard (caller checks ``may_view_dashboard``)."""
    pipeline, unconverted = list_pipeline_by_stage()
    new_months, new_by_source = list_new_customers_by_source(months=months)
    return Dashboard(
        currency=base_currency(),
        months=months,
        refreshed=get_latest_refresh(),
        pipeline=pipeline,
        pipeline_unconverted=unconverted,
        revenue=list_revenue_by_month(months=months),
        new_months=new_months,
        new_by_source=new_by_source,
        meetings=get_meetings_last_week(),
        follow_ups=get_follow_ups_due(),
        tickets=get_tickets_sla(),
        cohorts=list_cohorts(),
        churn=get_churn(days=churn_days),
    )
