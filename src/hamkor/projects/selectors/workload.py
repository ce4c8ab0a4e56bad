"""Team workload: open hours per person per ISO week against their weekly capacity.

How hours are counted: an open task (to do, in progress, waiting) assigned to someone
contributes its remaining estimate, ``max(0, estimate - hours logged on it by anyone)``, to
the ISO week of its due date; overdue tasks count in the current week, tasks due after the
last week shown are left out, and tasks without a due date are summed apart ("no due date").
Tasks without an estimate add nothing. Capacity is ``WorkCapacity.weekly_hours``, 40 hours
when none is set; a week is over capacity when its hours exceed it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, FloatField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from hamkor.accounts.models import Team, User
from hamkor.projects.models import Task, TaskStatus, WorkCapacity
from hamkor.projects.selectors.time import week_of

DEFAULT_CAPACITY = Decimal(40)
DEFAULT_WEEKS = 4
MAX_WEEKS = 26
OPEN = (TaskStatus.TODO, TaskStatus.IN_PROGRESS, TaskStatus.WAITING)
HOUR = Decimal("0.01")


@dataclass
class WorkloadCell:
    week: datetime.date
    hours: Decimal
    over: bool


@dataclass
class WorkloadRow:
    user: User
    capacity: Decimal
    cells: list[WorkloadCell]
    undated: Decimal

    @property
    def total(self) -> Decimal:
        return sum((cell.hours for cell in self.cells), Decimal(0)) + self.undated

    @property
    def over_weeks(self) -> int:
        return sum(1 for cell in self.cells if cell.over)


@dataclass
class Workload:
    weeks: list[datetime.date]
    rows: list[WorkloadRow]
    team: Team | None
    # False: the viewer is not a manager and sees only their own row.
    everyone: bool


def workload_users(*, viewer: User, team_id: int | None = None) -> QuerySet[User]:
    """Whose rows the viewer sees: everyone active for managers (optionally one team), else
    themselves."""
    users = User.objects.filter(is_active=True).select_related("team")
    if not viewer.sees_everything:
        return users.filter(pk=viewer.pk)
    if team_id is not None:
        users = users.filter(team_id=team_id)
    return users.order_by("first_name", "last_name", "username", "id")


def _remaining_hours(
    user_ids: list[int] | None, last_day: datetime.date
) -> list[tuple[int, datetime.date | None, float]]:
    tasks = Task.objects.filter(
        Q(due_date__lte=last_day) | Q(due_date__isnull=True),
        status__in=OPEN,
        assignee__isnull=False,
        estimate_hours__gt=0,
    )
    if user_ids is not None:
        tasks = tasks.filter(assignee_id__in=user_ids)
    remaining = Greatest(
        # Logged minutes come from the kept per-task total (one row per task, joined).
        F("estimate_hours") - Coalesce(F("time_total__minutes"), Value(0)) / Value(60.0),
        Value(0.0),
        output_field=FloatField(),
    )
    # One row per person and due date, summed in the database: far fewer rows than tasks.
    return list(
        tasks.order_by()
        .values("assignee_id", "due_date")
        .annotate(hours=Sum(remaining, output_field=FloatField()))
        .values_list("assignee_id", "due_date", "hours")
    )


def get_workload(
    *,
    viewer: User,
    weeks: int = DEFAULT_WEEKS,
    team_id: int | None = None,
    start: datetime.date | None = None,
) -> Workload:
    """Open hours per person for ``weeks`` ISO weeks from this one (see the module docstring)."""
    weeks = max(1, min(weeks, MAX_WEEKS))
    first = week_of(start or timezone.localdate())
    mondays = [first + datetime.timedelta(weeks=i) for i in range(weeks)]
    last_day = mondays[-1] + datetime.timedelta(days=6)
    team = Team.objects.filter(pk=team_id).first() if team_id is not None else None
    users = list(workload_users(viewer=viewer, team_id=team_id))
    everyone = viewer.sees_everything and team_id is None
    # For everyone, filtering by assignee is only a cost: every assignee gets a row anyway.
    ids = None if everyone else [u.pk for u in users]
    capacities = dict(
        WorkCapacity.objects.filter(**({} if ids is None else {"user_id__in": ids})).values_list(
            "user_id", "weekly_hours"
        )
    )
    hours: dict[int, dict[datetime.date | None, float]] = {}
    for assignee_id, due, total in _remaining_hours(ids, last_day):
        # Overdue work is work for this week.
        week = None if due is None else max(week_of(due), first)
        per_user = hours.setdefault(assignee_id, {})
        per_user[week] = per_user.get(week, 0.0) + (total or 0.0)
    rows = []
    for user in users:
        capacity = capacities.get(user.pk, DEFAULT_CAPACITY)
        per_user = hours.get(user.pk, {})
        cells = []
        for monday in mondays:
            value = Decimal(str(per_user.get(monday, 0.0))).quantize(HOUR)
            cells.append(WorkloadCell(week=monday, hours=value, over=value > capacity))
        undated = Decimal(str(per_user.get(None, 0.0))).quantize(HOUR)
        rows.append(WorkloadRow(user=user, capacity=capacity, cells=cells, undated=undated))
    return Workload(weeks=mondays, rows=rows, team=team, everyone=viewer.sees_everything)


def list_workload_teams() -> QuerySet[Team]:
    """Teams to filter the workload by."""
    return Team.objects.order_by("name")
