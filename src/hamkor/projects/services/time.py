"""Writes for time: the timer, manual entries, hourly rates, capacity, and invoicing marks.

One running timer per user: starting a timer while another runs stops the running one first
(both in one transaction), the way people switch tasks. The database's partial unique
constraint backs this up under concurrency; a clash there becomes ``TimerConflict``.

An entry with ``invoiced_at`` set is read-only (``TimeEntryLocked``) until its invoice is
voided. The billing app marks and releases entries only through ``mark_time_invoiced`` and
``release_invoiced_time``, inside its own transaction.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hamkor.accounts.models import User
from hamkor.core.audit import record_event
from hamkor.core.locking import lock_rows
from hamkor.core.money import is_currency
from hamkor.projects.models import (
    HourlyRate,
    Project,
    ProjectTimeTotal,
    Task,
    TaskTimeTotal,
    TimeEntry,
    WorkCapacity,
)

# A manual entry covers at most one day; a forgotten timer may run longer and be corrected.
MAX_MANUAL_MINUTES = 24 * 60
# Fields update_time_entry accepts.
ENTRY_FIELDS = (
    "project",
    "task",
    "day",
    "started_at",
    "ended_at",
    "minutes",
    "note",
    "billable",
)


class TimerConflict(ValidationError):
    """The timer is not in the state the request expects (none running, or a race lost)."""


class TimeEntryLocked(ValidationError):
    """The entry is on an invoice, so it cannot be changed or deleted."""


def _zone(user: User) -> datetime.tzinfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def day_start(day: datetime.date, user: User) -> datetime.datetime:
    """Midnight of ``day`` in the user's time zone: where a duration-only entry starts."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=_zone(user))


def _minutes_between(start: datetime.datetime, end: datetime.datetime) -> int:
    # A timer stopped within seconds still leaves a visible (1-minute) entry.
    return max(1, round((end - start).total_seconds() / 60))


def resolve_rate(
    *, user: User, project: Project, task: Task | None = None
) -> tuple[Decimal | None, str]:
    """The rate that applies to this work: the task's, else the project's, else the user's."""
    if task is not None:
        found = HourlyRate.objects.filter(task=task).first()
        if found is not None:
            return found.rate, found.currency
    found = HourlyRate.objects.filter(project=project).first()
    if found is None:
        found = HourlyRate.objects.filter(user=user).first()
    if found is None:
        return None, ""
    return found.rate, found.currency


def _check_task(project: Project, task: Task | None) -> None:
    if task is not None and task.project_id != project.pk:
        raise ValidationError({"task": _("This task belongs to another project.")})


def _check_can_edit(entry: TimeEntry, actor: User) -> None:
    if entry.user_id != actor.pk and not actor.sees_everything:
        raise PermissionDenied(
            _("Only the person who logged this time or a manager can change it.")
        )
    if entry.invoiced_at is not None:
        raise TimeEntryLocked(
            _("This time is on invoice %(number)s and cannot be changed; void the invoice first.")
            % {"number": entry.invoice_number or "?"},
            code="invoiced",
        )


def _interval(
    *,
    user: User,
    day: datetime.date | None,
    started_at: datetime.datetime | None,
    ended_at: datetime.datetime | None,
    minutes: int | None,
) -> tuple[datetime.datetime, datetime.datetime, int]:
    """Start, end and minutes of a finished entry from what the user gave.

    Either a start and an end, a start and a duration, or a day and a duration.
    """
    if started_at is not None and timezone.is_naive(started_at):
        started_at = timezone.make_aware(started_at, _zone(user))
    if ended_at is not None and timezone.is_naive(ended_at):
        ended_at = timezone.make_aware(ended_at, _zone(user))
    if ended_at is not None and minutes is not None:
        raise ValidationError({"minutes": _("Give either the end time or the duration, not both.")})
    if started_at is None:
        if day is None:
            raise ValidationError({"day": _("Give the day or the start time.")})
        started_at = day_start(day, user)
    if ended_at is not None:
        if ended_at <= started_at:
            raise ValidationError({"ended_at": _("The end must be after the start.")})
        minutes = _minutes_between(started_at, ended_at)
    elif minutes is None:
        raise ValidationError({"minutes": _("Give the duration or the end time.")})
    if minutes < 1 or minutes > MAX_MANUAL_MINUTES:
        raise ValidationError({"minutes": _("The duration must be between 1 minute and 24 hours.")})
    if ended_at is None:
        ended_at = started_at + datetime.timedelta(minutes=minutes)
    if started_at > timezone.now():
        raise ValidationError({"started_at": _("Time cannot be logged in the future.")})
    return started_at, ended_at, minutes


def _save(entry: TimeEntry) -> None:
    # The running-timer constraint is checked by the database below, not by full_clean, so
    # a race ends as one clear TimerConflict rather than a half-validated row.
    entry.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:
        if entry.ended_at is None:
            raise TimerConflict(
                _("Another timer of yours started at the same moment; reload and try again."),
                code="timer_running",
            ) from error
        raise


# --- totals ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Counted:
    """What an entry adds to the time totals (a finished one; a running timer adds nothing)."""

    project_id: int
    task_id: int | None
    billable: bool
    currency: str
    minutes: int
    rate: Decimal | None


def _counted(entry: TimeEntry) -> _Counted | None:
    if entry.ended_at is None or not entry.minutes:
        return None
    return _Counted(
        project_id=entry.project_id,
        task_id=entry.task_id,
        billable=entry.billable,
        currency=entry.currency,
        minutes=entry.minutes,
        rate=entry.rate,
    )


def _add_or_create(model: type[models.Model], lookup: dict[str, Any], **deltas: Any) -> None:
    """``UPDATE ... SET x = x + delta``, or create the row (a racing creator wins, then add)."""
    changes = {name: F(name) + delta for name, delta in deltas.items()}
    if model._default_manager.filter(**lookup).update(**changes):
        return
    try:
        with transaction.atomic():
            model._default_manager.create(**lookup, **deltas)
    except IntegrityError:
        model._default_manager.filter(**lookup).update(**changes)


def _add_totals(counted: _Counted | None, sign: int) -> None:
    if counted is None:
        return
    minutes = sign * counted.minutes
    rate_minutes = minutes * counted.rate if counted.rate is not None else Decimal(0)
    _add_or_create(
        ProjectTimeTotal,
        {
            "project_id": counted.project_id,
            "billable": counted.billable,
            "currency": counted.currency,
        },
        minutes=minutes,
        rate_minutes=rate_minutes,
    )
    if counted.task_id is not None:
        _add_or_create(TaskTimeTotal, {"task_id": counted.task_id}, minutes=minutes)


def count_time_entry(entry: TimeEntry) -> None:
    """Add a finished entry that was inserted directly (data loads, tests) to the totals."""
    _add_totals(_counted(entry), +1)


@transaction.atomic
def rebuild_time_totals() -> tuple[int, int]:
    """Recompute every project and task time total from the entries; (projects, tasks) rows.

    For after bulk loads or hand edits in the database; the services keep totals current.
    """
    ProjectTimeTotal.objects.all().delete()
    TaskTimeTotal.objects.all().delete()
    finished = TimeEntry.objects.filter(ended_at__isnull=False, minutes__isnull=False).order_by()
    cost = ExpressionWrapper(
        F("minutes") * F("rate"), output_field=DecimalField(max_digits=24, decimal_places=2)
    )
    projects = [
        ProjectTimeTotal(
            project_id=row["project_id"],
            billable=row["billable"],
            currency=row["currency"],
            minutes=row["total"] or 0,
            rate_minutes=row["cost"] or 0,
        )
        for row in finished.values("project_id", "billable", "currency").annotate(
            total=Sum("minutes"), cost=Sum(cost)
        )
    ]
    ProjectTimeTotal.objects.bulk_create(projects, batch_size=2000)
    tasks = [
        TaskTimeTotal(task_id=row["task_id"], minutes=row["total"] or 0)
        for row in finished.filter(task__isnull=False)
        .values("task_id")
        .annotate(total=Sum("minutes"))
    ]
    TaskTimeTotal.objects.bulk_create(tasks, batch_size=5000)
    return len(projects), len(tasks)


@transaction.atomic
def start_timer(
    *,
    actor: User,
    project: Project,
    task: Task | None = None,
    note: str = "",
    billable: bool = True,
) -> tuple[TimeEntry, TimeEntry | None]:
    """Start the actor's timer on a project (or task); a running one is stopped first.

    Returns the new running entry and the one stopped, if any. The caller fetched project
    and task through selectors, so the actor may see them.
    """
    _check_task(project, task)
    # Serialise this user's timer changes (row lock on PostgreSQL; IMMEDIATE on SQLite).
    lock_rows(User, actor.pk)
    stopped = None
    running = TimeEntry.objects.filter(user=actor, ended_at__isnull=True).first()
    now = timezone.now()
    if running is not None:
        stopped = _stop(running, actor=actor, at=now)
    rate, currency = resolve_rate(user=actor, project=project, task=task)
    entry = TimeEntry(
        user=actor,
        project=project,
        task=task,
        started_at=now,
        note=note,
        billable=billable,
        rate=rate,
        currency=currency,
    )
    _save(entry)
    record_event(
        actor=actor,
        verb="time.timer_started",
        target=entry,
        data={"project": project.pk, "task": task.pk if task else None},
    )
    return entry, stopped


def _stop(entry: TimeEntry, *, actor: User, at: datetime.datetime) -> TimeEntry:
    entry.ended_at = max(at, entry.started_at)
    entry.minutes = _minutes_between(entry.started_at, entry.ended_at)
    entry.full_clean(validate_constraints=False)
    entry.save(update_fields=["ended_at", "minutes", "updated_at"])
    _add_totals(_counted(entry), +1)
    record_event(
        actor=actor, verb="time.timer_stopped", target=entry, data={"minutes": entry.minutes}
    )
    return entry


@transaction.atomic
def stop_timer(*, actor: User) -> TimeEntry:
    """Stop the actor's running timer; TimerConflict when none is running."""
    lock_rows(User, actor.pk)
    running = TimeEntry.objects.filter(user=actor, ended_at__isnull=True).first()
    if running is None:
        raise TimerConflict(_("No timer of yours is running."), code="no_timer")
    return _stop(running, actor=actor, at=timezone.now())


@transaction.atomic
def log_time(
    *,
    actor: User,
    project: Project,
    task: Task | None = None,
    day: datetime.date | None = None,
    started_at: datetime.datetime | None = None,
    ended_at: datetime.datetime | None = None,
    minutes: int | None = None,
    note: str = "",
    billable: bool = True,
) -> TimeEntry:
    """Record finished work: a start and end, a start and duration, or a day and duration."""
    _check_task(project, task)
    start, end, length = _interval(
        user=actor, day=day, started_at=started_at, ended_at=ended_at, minutes=minutes
    )
    rate, currency = resolve_rate(user=actor, project=project, task=task)
    entry = TimeEntry(
        user=actor,
        project=project,
        task=task,
        started_at=start,
        ended_at=end,
        minutes=length,
        note=note,
        billable=billable,
        rate=rate,
        currency=currency,
    )
    _save(entry)
    _add_totals(_counted(entry), +1)
    record_event(
        actor=actor,
        verb="time.logged",
        target=entry,
        data={"project": project.pk, "minutes": length},
    )
    return entry


@transaction.atomic
def update_time_entry(*, entry: TimeEntry, actor: User, values: dict[str, Any]) -> TimeEntry:
    """Change an entry; invoiced ones are refused, the rate is re-resolved on a new target.

    ``values`` may hold project, task, day, started_at, ended_at, minutes, note, billable; the
    duration is kept when only the start moves, and the end follows a new duration.
    """
    unknown = set(values) - set(ENTRY_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    entry = TimeEntry.objects.select_for_update().select_related("user").get(pk=entry.pk)
    _check_can_edit(entry, actor)
    before = _counted(entry)
    project = values.get("project", entry.project)
    if "task" in values:
        task = values["task"]
    elif project.pk != entry.project_id:
        task = None  # the old task belongs to the old project
    else:
        task = entry.task
    _check_task(project, task)
    timing = {"day", "started_at", "ended_at", "minutes"} & set(values)
    if entry.ended_at is None:
        if timing - {"started_at"}:
            raise ValidationError(
                {"ended_at": _("Stop the timer before changing its end or duration.")}
            )
        if values.get("started_at") is not None:
            started = values["started_at"]
            if started > timezone.now():
                raise ValidationError({"started_at": _("Time cannot be logged in the future.")})
            entry.started_at = started
    elif timing:
        started = values.get("started_at")
        if started is None and "day" not in values:
            started = entry.started_at
        ended = values.get("ended_at")
        minutes = values.get("minutes")
        if ended is None and minutes is None:
            minutes = entry.minutes
        entry.started_at, entry.ended_at, entry.minutes = _interval(
            user=entry.user,
            day=values.get("day"),
            started_at=started,
            ended_at=ended,
            minutes=minutes,
        )
    retarget = project.pk != entry.project_id or (task.pk if task else None) != entry.task_id
    entry.project, entry.task = project, task
    if retarget:
        entry.rate, entry.currency = resolve_rate(user=entry.user, project=project, task=task)
    for name in ("note", "billable"):
        if name in values:
            setattr(entry, name, values[name])
    _save(entry)
    after = _counted(entry)
    if after != before:
        _add_totals(before, -1)
        _add_totals(after, +1)
    record_event(actor=actor, verb="time.updated", target=entry, data={"fields": sorted(values)})
    return entry


@transaction.atomic
def delete_time_entry(*, entry: TimeEntry, actor: User) -> None:
    """Delete an entry (a running timer too); invoiced ones are refused."""
    entry = TimeEntry.objects.select_for_update().get(pk=entry.pk)
    _check_can_edit(entry, actor)
    _add_totals(_counted(entry), -1)
    record_event(
        actor=actor,
        verb="time.deleted",
        target=entry,
        data={"project": entry.project_id, "minutes": entry.minutes},
    )
    entry.delete()


def _check_rate_manager(actor: User) -> None:
    if not actor.sees_everything:
        raise PermissionDenied(_("Only managers and administrators can set hourly rates."))


@transaction.atomic
def set_hourly_rate(
    *,
    actor: User,
    rate: Decimal,
    currency: str,
    user: User | None = None,
    project: Project | None = None,
    task: Task | None = None,
) -> tuple[HourlyRate, bool]:
    """Set the rate of one user, project or task (replacing theirs); True when created.

    Entries already logged keep the rate they were made with.
    """
    _check_rate_manager(actor)
    targets = [t for t in (user, project, task) if t is not None]
    if len(targets) != 1:
        raise ValidationError(_("A rate is for exactly one user, project or task."))
    code = (currency or "").upper()
    if not is_currency(code):
        raise ValidationError({"currency": _("Unknown currency code: %(code)s.") % {"code": code}})
    if rate < 0:
        raise ValidationError({"rate": _("The rate cannot be negative.")})
    lookup: dict[str, Any] = (
        {"user": user} if user else {"project": project} if project else {"task": task}
    )
    existing = HourlyRate.objects.select_for_update().filter(**lookup).first()
    created = existing is None
    hourly = existing or HourlyRate(**lookup)
    hourly.rate = Decimal(rate).quantize(Decimal("0.01"))
    hourly.currency = code
    hourly.full_clean(validate_constraints=False)
    hourly.save()
    record_event(
        actor=actor,
        verb="time.rate_set",
        target=hourly,
        data={"rate": str(hourly.rate), "currency": code, **{k: v.pk for k, v in lookup.items()}},
    )
    return hourly, created


@transaction.atomic
def delete_hourly_rate(*, actor: User, hourly_rate: HourlyRate) -> None:
    """Remove a rate; the next less specific one applies to new entries."""
    _check_rate_manager(actor)
    record_event(
        actor=actor,
        verb="time.rate_deleted",
        target=hourly_rate,
        data={"rate": str(hourly_rate.rate), "currency": hourly_rate.currency},
    )
    hourly_rate.delete()


@transaction.atomic
def set_work_capacity(*, actor: User, user: User, weekly_hours: Decimal) -> WorkCapacity:
    """Set how many hours a week a person can take on (managers and admins)."""
    if not actor.sees_everything:
        raise PermissionDenied(_("Only managers and administrators can set capacity."))
    if weekly_hours < 0 or weekly_hours > 168:
        raise ValidationError({"weekly_hours": _("Hours per week must be between 0 and 168.")})
    capacity, _created = WorkCapacity.objects.update_or_create(
        user=user, defaults={"weekly_hours": Decimal(weekly_hours).quantize(Decimal("0.01"))}
    )
    record_event(
        actor=actor,
        verb="time.capacity_set",
        target=capacity,
        data={"user": user.pk, "weekly_hours": str(weekly_hours)},
    )
    return capacity


# --- for the billing app ----------------------------------------------------------------


# Ids per statement: well below SQLite's limit on bound parameters.
CHUNK = 900


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def _describe(ids: Sequence[int]) -> str:
    return ", ".join(str(pk) for pk in sorted(ids))


def mark_time_invoiced(*, entry_ids: Sequence[int], invoice_number: str) -> int:
    """Mark finished, billable, uninvoiced entries as on an invoice; all or none.

    One conditional UPDATE (``WHERE invoiced_at IS NULL AND billable AND ended``): of two
    invoices racing for the same entry, the second updates fewer rows than asked and gets a
    ValidationError naming the entries, with nothing marked. Call it inside the transaction
    that creates the invoice. No audit event per entry: the invoice's own event names them.
    """
    ids = sorted(set(entry_ids))
    if not ids:
        return 0
    if not invoice_number:
        raise ValidationError(_("An invoice number is needed to mark time invoiced."))
    now = timezone.now()
    # A savepoint, so a refusal undoes this UPDATE even if the caller catches the error.
    with transaction.atomic():
        updated = 0
        for chunk in _chunks(ids):
            updated += TimeEntry.objects.filter(
                pk__in=chunk, invoiced_at__isnull=True, billable=True, ended_at__isnull=False
            ).update(invoiced_at=now, invoice_number=invoice_number, updated_at=now)
        if updated == len(ids):
            return updated
        problems = _unbillable_reasons(ids, invoice_number=invoice_number, now=now)
        raise ValidationError(problems or [_("Some time entries could not be invoiced.")])


def _unbillable_reasons(
    ids: Sequence[int], *, invoice_number: str, now: datetime.datetime
) -> list[ValidationError]:
    rows = {
        row["pk"]: row
        for chunk in _chunks(ids)
        for row in TimeEntry.objects.filter(pk__in=chunk).values(
            "pk", "invoiced_at", "invoice_number", "billable", "ended_at"
        )
    }
    missing = [pk for pk in ids if pk not in rows]
    # Rows this very call marked carry our number and timestamp; any other mark is earlier.
    invoiced = [
        pk
        for pk, row in rows.items()
        if row["invoiced_at"] is not None
        and not (row["invoiced_at"] == now and row["invoice_number"] == invoice_number)
    ]
    running = [pk for pk, row in rows.items() if row["ended_at"] is None]
    unbillable = [pk for pk, row in rows.items() if not row["billable"]]
    problems = []
    if invoiced:
        numbers = sorted(
            {rows[pk]["invoice_number"] for pk in invoiced if rows[pk]["invoice_number"]}
        )
        problems.append(
            ValidationError(
                ngettext(
                    "Time entry %(ids)s is already invoiced (%(numbers)s).",
                    "Time entries %(ids)s are already invoiced (%(numbers)s).",
                    len(invoiced),
                )
                % {"ids": _describe(invoiced), "numbers": ", ".join(numbers)},
                code="already_invoiced",
            )
        )
    if running:
        problems.append(
            ValidationError(
                ngettext(
                    "Time entry %(ids)s is a running timer; stop it first.",
                    "Time entries %(ids)s are running timers; stop them first.",
                    len(running),
                )
                % {"ids": _describe(running)},
                code="running",
            )
        )
    if unbillable:
        problems.append(
            ValidationError(
                ngettext(
                    "Time entry %(ids)s is not billable.",
                    "Time entries %(ids)s are not billable.",
                    len(unbillable),
                )
                % {"ids": _describe(unbillable)},
                code="not_billable",
            )
        )
    if missing:
        problems.append(
            ValidationError(
                ngettext(
                    "There is no time entry %(ids)s.",
                    "There are no time entries %(ids)s.",
                    len(missing),
                )
                % {"ids": _describe(missing)},
                code="missing",
            )
        )
    return problems


@transaction.atomic
def release_invoiced_time(*, entry_ids: Sequence[int], invoice_number: str = "") -> int:
    """Make invoiced entries billable again (voiding an invoice); returns how many.

    With ``invoice_number``, only entries on that invoice are released.
    """
    ids = sorted(set(entry_ids))
    if not ids:
        return 0
    now = timezone.now()
    released = 0
    for chunk in _chunks(ids):
        queryset = TimeEntry.objects.filter(pk__in=chunk, invoiced_at__isnull=False)
        if invoice_number:
            queryset = queryset.filter(invoice_number=invoice_number)
        released += queryset.update(invoiced_at=None, invoice_number="", updated_at=now)
    return released
