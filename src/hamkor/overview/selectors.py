"""The whole customer on one page: deals, orders, projects, time, invoices and interactions.

Every part is read through the owning app's own selector, so each follows that app's
visibility rule (another team's deal stays hidden even when its contact is shown; roles
that see no invoices get no invoice part), and the overview costs a fixed number of queries
however long the customer's history is.

Totals are given in the customer's currency (a contact's preferred currency; for a company
the base currency). Deals and orders convert at today's exchange rates; invoices through the
rate fixed when each was issued (as the receivables ageing does), then from the base
currency at today's rate. A missing rate leaves a total unavailable with the reason; the
per-currency sums are always given beside it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, Max, Q, Sum, Value, When
from django.db.models.expressions import CombinedExpression
from django.utils import timezone

from hamkor.accounts.models import User
from hamkor.activities.models import Interaction
from hamkor.activities.selectors.interactions import list_interactions
from hamkor.billing.models import Invoice, InvoiceStatus
from hamkor.billing.permissions import sees_invoices
from hamkor.billing.selectors.ageing import OPEN_STATUSES
from hamkor.billing.selectors.invoices import InvoiceFilters, list_invoices
from hamkor.contacts.models import Company, Contact
from hamkor.contacts.selectors import visible
from hamkor.core.currency import MissingRateError, base_currency, rate_on, round_money
from hamkor.core.money import is_currency
from hamkor.projects.models import Project, ProjectStatus, Task
from hamkor.projects.selectors.projects import ProjectFilters, list_projects, progress_percent
from hamkor.projects.selectors.tasks import OPEN as OPEN_TASK_STATUSES
from hamkor.projects.selectors.tasks import visible_tasks
from hamkor.projects.selectors.time import visible_time_entries
from hamkor.sales.models import Deal, Order, StageOutcome
from hamkor.sales.selectors.deals import list_deals
from hamkor.sales.selectors.insight import COUNTED_STATUSES
from hamkor.sales.selectors.orders import OrderFilters, list_orders

ZERO = Decimal(0)
# Rows shown per part; the counts and totals always cover the whole history.
DEALS_SHOWN = 5
ORDERS_SHOWN = 5
PROJECTS_SHOWN = 10
TASKS_SHOWN = 10
INVOICES_SHOWN = 5
INTERACTIONS_SHOWN = 5
# Projects read per customer (for the hours totals); nobody runs more for one customer.
PROJECTS_READ = 200
CLOSED_PROJECT = (ProjectStatus.DONE, ProjectStatus.CANCELLED)
# Invoices that bill the customer: issued and later, not drafts or voided ones.
BILLED_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID, InvoiceStatus.PAID)


@dataclass(frozen=True)
class Part:
    """A sum in one currency; ``in_base`` when it was already fixed in the base currency."""

    currency: str
    amount: Decimal
    in_base: Decimal | None = None


@dataclass(frozen=True)
class Amount:
    """A total in the customer's currency and the per-currency sums it is made of.

    ``amount`` is None when an exchange rate is missing; ``error`` then says which.
    """

    amount: Decimal | None
    currency: str
    parts: tuple[Part, ...] = ()
    error: str = ""

    @property
    def converted(self) -> bool:
        """True when some of it was in another currency (so the parts are worth showing)."""
        return any(part.currency != self.currency for part in self.parts)


class _Converter:
    """Sums in several currencies in one target currency, each rate looked up once."""

    def __init__(self, target: str, on: datetime.date) -> None:
        self.target = target
        self.on = on
        self.rates: dict[str, Decimal] = {}

    def _rate(self, code: str) -> Decimal:
        if code not in self.rates:
            self.rates[code] = rate_on(code, self.on)
        return self.rates[code]

    def total(self, parts: Iterable[Part]) -> Amount:
        kept = tuple(sorted((p for p in parts if p.amount), key=lambda p: p.currency))
        total = ZERO
        try:
            for part in kept:
                if part.currency == self.target:
                    total += part.amount
                    continue
                in_base = (
                    part.in_base
                    if part.in_base is not None
                    else part.amount * self._rate(part.currency)
                )
                total += in_base / self._rate(self.target)
        except MissingRateError as error:
            return Amount(None, self.target, kept, " ".join(error.messages))
        return Amount(round_money(total, self.target), self.target, kept)


@dataclass
class DealSummary:
    latest: list[Deal]  # open ones first, then newest first
    count: int
    open_count: int
    won_count: int
    lost_count: int
    open_amount: Amount
    won_amount: Amount


@dataclass
class OrderSummary:
    latest: list[Order]  # newest first
    count: int  # every order, drafts and cancelled ones too
    purchase_count: int  # confirmed or paid: what counts as bought
    purchases: Amount
    last_ordered_at: datetime.datetime | None


@dataclass
class ProjectLine:
    project: Project
    progress: int  # per cent of tasks done
    open_tasks: int
    hours: Decimal  # logged (finished entries)

    @property
    def budget_hours(self) -> Decimal | None:
        return self.project.budget_hours

    @property
    def over_budget(self) -> bool:
        """More hours logged than budgeted (the risk list's rule)."""
        return self.budget_hours is not None and self.hours > self.budget_hours

    @property
    def budget_percent(self) -> int | None:
        """Logged hours as a share of the budget, for the meter (may pass 100)."""
        if not self.budget_hours:
            return None
        return round(self.hours * 100 / self.budget_hours)


@dataclass
class ProjectSummary:
    lines: list[ProjectLine]  # open ones first, then newest first
    count: int
    open_count: int
    hours: Decimal  # logged on all of them
    budget_hours: Decimal | None  # summed over the projects that have an hours budget
    hours_on_budgeted: Decimal  # logged on those projects, to compare like with like
    over_budget_count: int


@dataclass
class TaskSummary:
    upcoming: list[Task]  # open tasks, soonest due first, undated last
    open_count: int
    overdue_count: int


@dataclass
class InvoiceSummary:
    latest: list[Invoice]  # newest first
    count: int
    open_count: int
    overdue_count: int
    invoiced: Amount  # gross of issued, partly paid and paid invoices
    paid: Amount
    balance: Amount  # still due
    overdue: Amount  # still due and past the due date


@dataclass
class CustomerOverview:
    customer: Contact | Company
    currency: str
    today: datetime.date
    deals: DealSummary
    orders: OrderSummary
    projects: ProjectSummary
    tasks: TaskSummary
    # None: the viewer's role sees no invoices.
    invoices: InvoiceSummary | None
    interactions: list[Interaction] = field(default_factory=list)

    @property
    def is_company(self) -> bool:
        return isinstance(self.customer, Company)


def get_contact_overview(
    *, viewer: User, pk: int, today: datetime.date | None = None
) -> CustomerOverview:
    """A contact's whole history as the viewer may see it; Contact.DoesNotExist otherwise."""
    contact = visible(
        Contact.objects.select_related("company", "owner", "merged_into"), viewer
    ).get(pk=pk)
    currency = contact.currency.upper() if is_currency(contact.currency) else base_currency()
    return _overview(viewer=viewer, customer=contact, currency=currency, today=today)


def get_company_overview(
    *, viewer: User, pk: int, today: datetime.date | None = None
) -> CustomerOverview:
    """A company's whole history as the viewer may see it; Company.DoesNotExist otherwise."""
    company = visible(Company.objects.select_related("owner"), viewer).get(pk=pk)
    return _overview(viewer=viewer, customer=company, currency=base_currency(), today=today)


def _overview(
    *, viewer: User, customer: Contact | Company, currency: str, today: datetime.date | None
) -> CustomerOverview:
    day = today or timezone.localdate()
    converter = _Converter(currency, day)
    is_company = isinstance(customer, Company)
    contact_id = None if is_company else customer.pk
    company_id = customer.pk if is_company else None
    projects, project_ids = _projects(viewer=viewer, contact_id=contact_id, company_id=company_id)
    return CustomerOverview(
        customer=customer,
        currency=currency,
        today=day,
        deals=_deals(viewer=viewer, customer=customer, converter=converter),
        orders=_orders(
            viewer=viewer, contact_id=contact_id, company_id=company_id, converter=converter
        ),
        projects=projects,
        tasks=_tasks(viewer=viewer, project_ids=project_ids, day=day),
        invoices=(
            _invoices(
                viewer=viewer,
                contact_id=contact_id,
                company_id=company_id,
                converter=converter,
                day=day,
            )
            if sees_invoices(viewer)
            else None
        ),
        interactions=list(
            list_interactions(viewer=viewer, contact_id=contact_id, company_id=company_id)[
                :INTERACTIONS_SHOWN
            ]
        ),
    )


def _deals(*, viewer: User, customer: Contact | Company, converter: _Converter) -> DealSummary:
    match = (
        {"company_id": customer.pk}
        if isinstance(customer, Company)
        else {"contact_id": customer.pk}
    )
    deals = list_deals(viewer=viewer).filter(**match)
    counts: dict[str, int] = defaultdict(int)
    sums: dict[str, list[Part]] = defaultdict(list)
    rows = deals.values("status", "currency").annotate(n=Count("id"), total=Sum("amount"))
    # order_by(): the list's ordering would otherwise split the groups.
    for row in rows.order_by():
        counts[row["status"]] += row["n"]
        sums[row["status"]].append(Part(row["currency"], row["total"] or ZERO))
    open_first = Case(When(status=StageOutcome.OPEN, then=Value(0)), default=Value(1))
    latest = list(deals.order_by(open_first, "-created_at", "-id")[:DEALS_SHOWN])
    return DealSummary(
        latest=latest,
        count=sum(counts.values()),
        open_count=counts[StageOutcome.OPEN],
        won_count=counts[StageOutcome.WON],
        lost_count=counts[StageOutcome.LOST],
        open_amount=converter.total(sums[StageOutcome.OPEN]),
        won_amount=converter.total(sums[StageOutcome.WON]),
    )


def _orders(
    *, viewer: User, contact_id: int | None, company_id: int | None, converter: _Converter
) -> OrderSummary:
    orders = list_orders(
        viewer=viewer, filters=OrderFilters(contact_id=contact_id, company_id=company_id)
    )
    counted = Q(status__in=COUNTED_STATUSES)
    rows = (
        orders.values("currency")
        .annotate(
            n=Count("id"),
            bought=Count("id", filter=counted),
            total=Sum("total", filter=counted),
            last=Max("ordered_at"),
        )
        .order_by()
    )
    count = bought = 0
    parts: list[Part] = []
    last: datetime.datetime | None = None
    for row in rows:
        count += row["n"]
        bought += row["bought"]
        parts.append(Part(row["currency"], row["total"] or ZERO))
        if row["last"] is not None and (last is None or row["last"] > last):
            last = row["last"]
    return OrderSummary(
        latest=list(orders[:ORDERS_SHOWN]),
        count=count,
        purchase_count=bought,
        purchases=converter.total(parts),
        last_ordered_at=last,
    )


def _projects(
    *, viewer: User, contact_id: int | None, company_id: int | None
) -> tuple[ProjectSummary, list[int]]:
    """The summary (a page of rows, totals over all) and the ids of every project read."""
    projects = list(
        list_projects(
            viewer=viewer, filters=ProjectFilters(contact_id=contact_id, company_id=company_id)
        )[:PROJECTS_READ]
    )
    minutes: dict[int, int] = {}
    if projects:
        # Through the time app's own rule; the projects are visible, so this is all their time.
        rows = (
            visible_time_entries(viewer)
            .filter(project_id__in=[p.pk for p in projects], ended_at__isnull=False)
            .values("project_id")
            .annotate(total=Sum("minutes"))
            .order_by()
        )
        minutes = {row["project_id"]: row["total"] or 0 for row in rows}
    lines = [
        ProjectLine(
            project=project,
            progress=progress_percent(project),
            open_tasks=int(getattr(project, "task_count", 0))
            - int(getattr(project, "done_count", 0)),
            hours=_hours(minutes.get(project.pk, 0)),
        )
        for project in projects
    ]
    # Stable sort: newest first within open and within closed.
    lines.sort(key=lambda line: line.project.status in CLOSED_PROJECT)
    budgeted = [line for line in lines if line.budget_hours is not None]
    summary = ProjectSummary(
        lines=lines[:PROJECTS_SHOWN],
        count=len(lines),
        open_count=sum(1 for line in lines if line.project.status not in CLOSED_PROJECT),
        hours=sum((line.hours for line in lines), ZERO),
        budget_hours=(
            sum((line.budget_hours or ZERO for line in budgeted), ZERO) if budgeted else None
        ),
        hours_on_budgeted=sum((line.hours for line in budgeted), ZERO),
        over_budget_count=sum(1 for line in lines if line.over_budget),
    )
    return summary, [project.pk for project in projects]


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def _tasks(*, viewer: User, project_ids: list[int], day: datetime.date) -> TaskSummary:
    if not project_ids:
        return TaskSummary(upcoming=[], open_count=0, overdue_count=0)
    tasks = visible_tasks(viewer).filter(project_id__in=project_ids, status__in=OPEN_TASK_STATUSES)
    counts = tasks.aggregate(n=Count("id"), overdue=Count("id", filter=Q(due_date__lt=day)))
    upcoming = list(
        tasks.select_related("project", "assignee").order_by(
            F("due_date").asc(nulls_last=True), "project_id", "position", "id"
        )[:TASKS_SHOWN]
    )
    return TaskSummary(
        upcoming=upcoming, open_count=counts["n"] or 0, overdue_count=counts["overdue"] or 0
    )


def _invoices(
    *,
    viewer: User,
    contact_id: int | None,
    company_id: int | None,
    converter: _Converter,
    day: datetime.date,
) -> InvoiceSummary:
    invoices = list_invoices(
        viewer=viewer, filters=InvoiceFilters(contact_id=contact_id, company_id=company_id)
    )
    billed = Q(status__in=BILLED_STATUSES)
    # The ageing report's definition of money still due.
    due = Q(status__in=OPEN_STATUSES, balance__gt=0)
    late = due & Q(due_date__lt=day)
    money: DecimalField[Decimal, Decimal] = DecimalField(max_digits=30, decimal_places=10)

    def fixed(column: str) -> CombinedExpression:
        # In the base currency at the rate fixed when the invoice was issued.
        return F(column) * F("exchange_rate")

    rows = (
        invoices.values("currency")
        .annotate(
            n=Count("id"),
            open_n=Count("id", filter=due),
            late_n=Count("id", filter=late),
            invoiced=Sum("gross_total", filter=billed),
            invoiced_base=Sum(fixed("gross_total"), filter=billed, output_field=money),
            paid=Sum("paid_total", filter=billed),
            paid_base=Sum(fixed("paid_total"), filter=billed, output_field=money),
            # Not named "balance": an annotation by a column's name would hide the column.
            still_due=Sum("balance", filter=due),
            still_due_base=Sum(fixed("balance"), filter=due, output_field=money),
            overdue=Sum("balance", filter=late),
            overdue_base=Sum(fixed("balance"), filter=late, output_field=money),
        )
        .order_by()
    )
    parts: dict[str, list[Part]] = defaultdict(list)
    count = open_count = overdue_count = 0
    for row in rows:
        count += row["n"]
        open_count += row["open_n"]
        overdue_count += row["late_n"]
        for name in ("invoiced", "paid", "still_due", "overdue"):
            base = row[f"{name}_base"]
            parts[name].append(
                Part(
                    row["currency"],
                    row[name] or ZERO,
                    None if base is None else Decimal(base),
                )
            )
    return InvoiceSummary(
        latest=list(invoices[:INVOICES_SHOWN]),
        count=count,
        open_count=open_count,
        overdue_count=overdue_count,
        invoiced=converter.total(parts["invoiced"]),
        paid=converter.total(parts["paid"]),
        balance=converter.total(parts["still_due"]),
        overdue=converter.total(parts["overdue"]),
    )
