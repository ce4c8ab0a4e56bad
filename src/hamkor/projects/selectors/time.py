"""Reads for time entries, timers, rates and timesheets, scoped to what the viewer may see.

A viewer sees their own entries and every entry on a project they can see; they change only
their own (managers and admins: anyone's). Finance sees all unbilled time, to invoice it.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from hamkor.accounts.models import Role, User
from hamkor.contacts.models import Company, Contact
from hamkor.projects.models import HourlyRate, Project, Task, TaskTimeTotal, TimeEntry
from hamkor.projects.selectors.projects import visible_projects

RELATED = ("user", "project", "task")


def visible_time_entries(viewer: User) -> QuerySet[TimeEntry]:
    """Entries the viewer may see: their own and those on projects they can see."""
    entries = TimeEntry.objects.select_related(*RELATED)
    if viewer.sees_everything:
        return entries
    return entries.filter(Q(user=viewer) | Q(project__in=visible_projects(viewer).values("pk")))


def get_time_entry(*, viewer: User, pk: int) -> TimeEntry:
    """One visible entry; TimeEntry.DoesNotExist otherwise."""
    return visible_time_entries(viewer).get(pk=pk)


def get_editable_time_entry(*, viewer: User, pk: int) -> TimeEntry:
    """One entry the viewer may change (their own; managers any); DoesNotExist otherwise."""
    entries = visible_time_entries(viewer)
    if not viewer.sees_everything:
        entries = entries.filter(user=viewer)
    return entries.get(pk=pk)


def get_running_timer(*, viewer: User) -> TimeEntry | None:
    """The viewer's running timer, if any."""
    return (
        TimeEntry.objects.select_related(*RELATED)
        .filter(user=viewer, ended_at__isnull=True)
        .first()
    )


def get_loggable_project(*, viewer: User, pk: int) -> Project:
    """A project the viewer may log time on (one they can see); DoesNotExist otherwise."""
    return visible_projects(viewer).get(pk=pk)


def get_loggable_task(*, viewer: User, pk: int, project: Project | None = None) -> Task:
    """A task of a project the viewer can see; DoesNotExist otherwise."""
    tasks = Task.objects.select_related("project").filter(
        project__in=visible_projects(viewer).values("pk")
    )
    if project is not None:
        tasks = tasks.filter(project=project)
    return tasks.get(pk=pk)


def list_loggable_projects(*, viewer: User) -> QuerySet[Project]:
    """Open projects the viewer can log time on, by name (for pickers)."""
    return visible_projects(viewer).exclude(status__in=["done", "cancelled"]).order_by("name", "id")


@dataclass(frozen=True)
class TimeEntryFilters:
    user_id: int | None = None
    project_id: int | None = None
    task_id: int | None = None
    # Local calendar days, inclusive.
    start: datetime.date | None = None
    end: datetime.date | None = None
    billable: bool | None = None
    invoiced: bool | None = None
    running: bool | None = None


def zone_of(viewer: User) -> datetime.tzinfo:
    """The viewer's own time zone, else the organisation's."""
    try:
        return zoneinfo.ZoneInfo(viewer.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _midnight(day: datetime.date, zone: datetime.tzinfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


def list_time_entries(
    *, viewer: User, filters: TimeEntryFilters | None = None
) -> QuerySet[TimeEntry]:
    """Visible entries, newest first; start/end are days in the viewer's time zone."""
    filters = filters or TimeEntryFilters()
    entries = visible_time_entries(viewer)
    for name in ("user_id", "project_id", "task_id"):
        value = getattr(filters, name)
        if value is not None:
            entries = entries.filter(**{name: value})
    zone = zone_of(viewer)
    if filters.start is not None:
        entries = entries.filter(started_at__gte=_midnight(filters.start, zone))
    if filters.end is not None:
        next_day = filters.end + datetime.timedelta(days=1)
        entries = entries.filter(started_at__lt=_midnight(next_day, zone))
    if filters.billable is not None:
        entries = entries.filter(billable=filters.billable)
    if filters.invoiced is not None:
        entries = entries.filter(invoiced_at__isnull=not filters.invoiced)
    if filters.running is not None:
        entries = entries.filter(ended_at__isnull=filters.running)
    return entries.order_by("-started_at", "-id")


def list_unbilled_time(
    *,
    viewer: User,
    project_ids: Sequence[int] | None = None,
    contact: Contact | None = None,
    company: Company | None = None,
    until: datetime.date | datetime.datetime | None = None,
) -> QuerySet[TimeEntry]:
    """Finished, billable, uninvoiced entries the viewer may bill, oldest first per project.

    Finance, managers and admins may bill every project; others their visible ones.
    ``contact``/``company`` match the project's customer; ``until`` is the last day (or an
    instant) included.
    """
    entries = TimeEntry.objects.select_related(*RELATED).filter(
        billable=True, invoiced_at__isnull=True, ended_at__isnull=False
    )
    if not (viewer.sees_everything or viewer.role == Role.FINANCE):
        entries = entries.filter(project__in=visible_projects(viewer).values("pk"))
    if project_ids is not None:
        entries = entries.filter(project_id__in=list(project_ids))
    if contact is not None:
        entries = entries.filter(project__contact=contact)
    if company is not None:
        entries = entries.filter(project__company=company)
    if isinstance(until, datetime.datetime):
        entries = entries.filter(started_at__lte=until)
    elif isinstance(until, datetime.date):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        entries = entries.filter(started_at__lt=_midnight(until + datetime.timedelta(days=1), zone))
    return entries.order_by("project_id", "started_at", "id")


# --- timesheet -------------------------------------------------------------------------


@dataclass
class TimesheetDay:
    day: datetime.date
    entries: list[TimeEntry] = field(default_factory=list)
    minutes: int = 0


@dataclass
class Timesheet:
    week_start: datetime.date
    days: list[TimesheetDay]
    minutes: int
    billable_minutes: int

    @property
    def previous_week(self) -> datetime.date:
        return self.week_start - datetime.timedelta(days=7)

    @property
    def next_week(self) -> datetime.date:
        return self.week_start + datetime.timedelta(days=7)


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the ISO week holding ``day``."""
    return day - datetime.timedelta(days=day.weekday())


def get_timesheet(*, viewer: User, week_start: datetime.date | None = None) -> Timesheet:
    """The viewer's own entries of one ISO week (this one by default), grouped by local day."""
    zone = zone_of(viewer)
    monday = week_of(week_start or timezone.localdate(timezone=zone))
    days = [TimesheetDay(day=monday + datetime.timedelta(days=i)) for i in range(7)]
    entries = list_time_entries(
        viewer=viewer,
        filters=TimeEntryFilters(
            user_id=viewer.pk, start=monday, end=monday + datetime.timedelta(days=6)
        ),
    ).order_by("started_at", "id")
    total = billable = 0
    for entry in entries:
        local = timezone.localtime(entry.started_at, zone).date()
        slot = days[(local - monday).days]
        slot.entries.append(entry)
        minutes = entry.minutes or 0
        slot.minutes += minutes
        total += minutes
        if entry.billable:
            billable += minutes
    return Timesheet(week_start=monday, days=days, minutes=total, billable_minutes=billable)


def count_logged_minutes(*, task_ids: Sequence[int]) -> dict[int, int]:
    """Minutes logged per task (finished entries, from the kept totals), for the given tasks."""
    rows = TaskTimeTotal.objects.filter(task_id__in=list(task_ids)).values_list(
        "task_id", "minutes"
    )
    return {task_id: minutes or 0 for task_id, minutes in rows}


# --- rates -----------------------------------------------------------------------------


def list_hourly_rates(
    *,
    viewer: User,
    user_id: int | None = None,
    project_id: int | None = None,
    task_id: int | None = None,
) -> QuerySet[HourlyRate]:
    """Rates the viewer may see: all for managers, admins and finance; else their own rate
    and those of projects and tasks they can see."""
    rates = HourlyRate.objects.select_related("user", "project", "task", "task__project")
    if not (viewer.sees_everything or viewer.role == Role.FINANCE):
        projects = visible_projects(viewer).values("pk")
        rates = rates.filter(
            Q(user=viewer) | Q(project__in=projects) | Q(task__project__in=projects)
        )
    if user_id is not None:
        rates = rates.filter(user_id=user_id)
    if project_id is not None:
        rates = rates.filter(project_id=project_id)
    if task_id is not None:
        rates = rates.filter(task_id=task_id)
    return rates.order_by("user_id", "project_id", "task_id", "id")


def get_hourly_rate(*, viewer: User, pk: int) -> HourlyRate:
    """One visible rate; HourlyRate.DoesNotExist otherwise."""
    return list_hourly_rates(viewer=viewer).get(pk=pk)
