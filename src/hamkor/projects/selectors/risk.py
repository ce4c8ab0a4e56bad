"""The risk list for managers: overdue tasks, projects past due, projects over budget.

Only open projects (planned, active, on hold) count. A project is over budget when the hours
logged on it exceed ``budget_hours``, or when its billable time at the entries' own rates,
converted into the project's currency at today's exchange rates, exceeds ``budget_amount``.
Running timers count once they stop.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.core.currency import MissingRateError, base_currency, rate_on, round_money
from hamkor.projects.models import Project, ProjectStatus, ProjectTimeTotal, Task, TaskStatus

OPEN_PROJECT = (ProjectStatus.PLANNED, ProjectStatus.ACTIVE, ProjectStatus.ON_HOLD)
OPEN_TASK = (TaskStatus.TODO, TaskStatus.IN_PROGRESS, TaskStatus.WAITING)
# Rows shown per list; the counts say how many there are in all.
RISK_LIMIT = 50


@dataclass
class BudgetRisk:
    project: Project
    hours: Decimal
    cost: Decimal | None
    # Why the cost is unknown (a missing exchange rate), when it is.
    cost_error: str = ""

    @property
    def over_hours(self) -> bool:
        budget = self.project.budget_hours
        return budget is not None and self.hours > budget

    @property
    def over_amount(self) -> bool:
        budget = self.project.budget_amount
        return budget is not None and self.cost is not None and self.cost > budget


@dataclass
class RiskList:
    today: datetime.date
    overdue_tasks: list[Task]
    overdue_task_count: int
    late_projects: list[Project]
    late_project_count: int
    over_budget: list[BudgetRisk] = field(default_factory=list)
    over_budget_count: int = 0
    generated_at: datetime.datetime = field(default_factory=timezone.now)


def check_can_see_risks(viewer: User) -> None:
    """PermissionDenied unless the viewer is a manager or admin."""
    if not viewer.sees_everything:
        raise PermissionDenied(_("Only managers and administrators see the risk list."))


def list_overdue_tasks(*, today: datetime.date) -> QuerySet[Task]:
    """Open tasks due before today in open projects, longest overdue first."""
    return (
        Task.objects.filter(
            status__in=OPEN_TASK, due_date__lt=today, project__status__in=OPEN_PROJECT
        )
        .select_related("project", "assignee")
        .order_by("due_date", "id")
    )


def first_overdue_tasks(*, today: datetime.date, limit: int = RISK_LIMIT) -> list[Task]:
    """The ``limit`` longest overdue tasks, as ``list_overdue_tasks`` orders them.

    One query per open status, each walking the (status, due_date) index in order and
    stopping after ``limit`` rows, then merged: the single query with ``status IN (…)``
    reads and sorts every overdue task first.
    """
    tasks = list_overdue_tasks(today=today)
    parts = [list(tasks.filter(status=status)[:limit]) for status in OPEN_TASK]
    merged = sorted((task for part in parts for task in part), key=lambda t: (t.due_date, t.pk))
    return merged[:limit]


def list_late_projects(*, today: datetime.date) -> QuerySet[Project]:
    """Open projects past their due date, longest late first."""
    return (
        Project.objects.filter(status__in=OPEN_PROJECT, due_date__lt=today)
        .select_related("owner", "company", "contact")
        .order_by("due_date", "id")
    )


class _Rates:
    """Today's rates, each looked up once per risk list."""

    def __init__(self, on: datetime.date) -> None:
        self.on = on
        self.cache: dict[str, Decimal] = {}

    def convert(self, amount: Decimal, source: str, target: str) -> Decimal:
        source, target = source.upper(), target.upper()
        if source == target:
            return amount
        in_base = amount * self.rate(source)
        return in_base if target == base_currency() else in_base / self.rate(target)

    def rate(self, code: str) -> Decimal:
        if code not in self.cache:
            self.cache[code] = rate_on(code, self.on)
        return self.cache[code]


def list_over_budget(
    *, today: datetime.date, limit: int | None = None
) -> tuple[list[BudgetRisk], int]:
    """Open projects with a budget whose logged hours or cost exceed it, worst first.

    Returns the first ``limit`` (all when None) and how many there are in all. They are
    ranked on the kept totals alone; project rows are loaded only for those returned.
    """
    budgeted = Q(project__budget_hours__isnull=False) | Q(project__budget_amount__isnull=False)
    # The kept totals: a handful of rows per project instead of every time entry.
    totals = ProjectTimeTotal.objects.filter(
        budgeted, project__status__in=OPEN_PROJECT
    ).values_list(
        "project_id",
        "billable",
        "currency",
        "minutes",
        "rate_minutes",
        "project__budget_hours",
        "project__budget_amount",
        "project__currency",
    )
    minutes: dict[int, int] = defaultdict(int)
    costs: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    budgets: dict[int, tuple[Decimal | None, Decimal | None, str]] = {}
    for project_id, billable, currency, logged, rate_minutes, hours, amount, code in totals:
        minutes[project_id] += logged or 0
        budgets[project_id] = (hours, amount, code)
        if billable and rate_minutes and currency:
            # rate_minutes is minutes x rate: per hour, divide by 60.
            costs[project_id].append((currency, Decimal(rate_minutes) / 60))
    rates = _Rates(today)
    found: list[tuple[Decimal, int, Decimal, Decimal | None, str]] = []
    for project_id, (budget_hours, budget_amount, code) in budgets.items():
        hours = (Decimal(minutes[project_id]) / 60).quantize(Decimal("0.01"))
        cost: Decimal | None = Decimal(0)
        error = ""
        try:
            for currency, amount in costs.get(project_id, []):
                cost = (cost or Decimal(0)) + rates.convert(amount, currency, code)
            cost = round_money(cost or Decimal(0), code)
        except MissingRateError as missing:
            cost, error = None, " ".join(missing.messages)
        over_hours = budget_hours is not None and hours > budget_hours
        over_amount = budget_amount is not None and cost is not None and cost > budget_amount
        if over_hours or over_amount:
            share = _overrun(hours, budget_hours, cost, budget_amount)
            found.append((share, project_id, hours, cost, error))
    # Worst first; among equals the older project first, so the order is stable.
    found.sort(key=lambda item: (-item[0], item[1]))
    shown = found if limit is None else found[:limit]
    projects = Project.objects.select_related("owner").in_bulk([item[1] for item in shown])
    risks = [
        BudgetRisk(project=projects[project_id], hours=hours, cost=cost, cost_error=error)
        for _share, project_id, hours, cost, error in shown
        if project_id in projects
    ]
    return risks, len(found)


def _overrun(
    hours: Decimal,
    budget_hours: Decimal | None,
    cost: Decimal | None,
    budget_amount: Decimal | None,
) -> Decimal:
    """How far over budget, as a share of the budget (the larger of hours and amount)."""
    shares = [Decimal(0)]
    if budget_hours:
        shares.append(hours / budget_hours)
    if budget_amount and cost is not None:
        shares.append(cost / budget_amount)
    return max(shares)


def get_risk_list(*, viewer: User, today: datetime.date | None = None) -> RiskList:
    """Everything at risk now, for managers; PermissionDenied for anyone else."""
    check_can_see_risks(viewer)
    today = today or timezone.localdate()
    tasks = list_overdue_tasks(today=today)
    projects = list_late_projects(today=today)
    over_budget, over_budget_count = list_over_budget(today=today, limit=RISK_LIMIT)
    return RiskList(
        today=today,
        overdue_tasks=first_overdue_tasks(today=today),
        overdue_task_count=tasks.count(),
        late_projects=list(projects[:RISK_LIMIT]),
        late_project_count=projects.count(),
        over_budget=over_budget,
        over_budget_count=over_budget_count,
    )
