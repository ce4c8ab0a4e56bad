"""REST API for time entries, the timer and hourly rates.

A timer already running is stopped when another one starts (the answer names it in
``stopped``); stopping when none runs answers 409. Changing or deleting invoiced time
answers 409; another person's entry answers 404.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Status
from ninja.errors import HttpError

from hamkor.accounts.models import User
from hamkor.contacts.api import read_query, viewer_of
from hamkor.contacts.schemas import READ_ERRORS, WRITE_ERRORS
from hamkor.contacts.selectors import get_assignable_owner
from hamkor.core.paging import list_page
from hamkor.core.references import resolve_reference
from hamkor.projects.models import HourlyRate, Project, Task, TimeEntry
from hamkor.projects.schemas_time import (
    RateFilterIn,
    RateIn,
    RateListOut,
    RateOut,
    TimeEntryCreateIn,
    TimeEntryFilterIn,
    TimeEntryListOut,
    TimeEntryOut,
    TimeEntryUpdateIn,
    TimerOut,
    TimerStartIn,
)
from hamkor.projects.selectors.time import (
    TimeEntryFilters,
    get_editable_time_entry,
    get_hourly_rate,
    get_loggable_project,
    get_loggable_task,
    get_running_timer,
    get_time_entry,
    list_hourly_rates,
    list_time_entries,
)
from hamkor.projects.services.time import (
    TimeEntryLocked,
    TimerConflict,
    delete_hourly_rate,
    delete_time_entry,
    log_time,
    set_hourly_rate,
    start_timer,
    stop_timer,
    update_time_entry,
)

time_entries_router = Router(tags=["time"])
timer_router = Router(tags=["time"])
rates_router = Router(tags=["time"])

NO_PROJECT = gettext_lazy("There is no project with id %(id)s that you can see.")
NO_TASK = gettext_lazy("There is no task with id %(id)s that you can see in this project.")
WRITE_ERRORS_403 = {**WRITE_ERRORS, 403: WRITE_ERRORS[404]}


def _conflict(error: ValidationError) -> HttpError:
    return HttpError(409, " ".join(error.messages))


def _target(
    viewer: User, fields: Mapping[str, Any], *, current: Project | None = None
) -> tuple[Project | None, Task | None, bool]:
    """The project and task an API payload names (the task's project when only it is given).

    The flag says whether ``task_id`` was sent, so PATCH can tell "no task" from "unchanged".
    """
    errors: dict[str, str] = {}
    project = resolve_reference(
        errors,
        "project_id",
        fields.get("project_id"),
        lambda pk: get_loggable_project(viewer=viewer, pk=pk),
        str(NO_PROJECT),
    )
    scope = project or current
    task = resolve_reference(
        errors,
        "task_id",
        fields.get("task_id"),
        lambda pk: get_loggable_task(viewer=viewer, pk=pk, project=scope),
        str(NO_TASK),
    )
    if errors:
        raise ValidationError(errors)
    if project is None and task is not None and current is None:
        project = task.project
    return project, task, "task_id" in fields


def _entry(viewer: User, pk: int) -> TimeEntry:
    return get_editable_time_entry(viewer=viewer, pk=pk)


# --- time entries ------------------------------------------------------------------------


@time_entries_router.get(
    "",
    response={200: TimeEntryListOut, **READ_ERRORS},
    summary="List time entries",
    description="Your entries and those on projects you can see, newest first.",
)
def list_entries_view(request: HttpRequest, filters: Query[TimeEntryFilterIn]) -> dict[str, Any]:
    read_query(request, filters)
    if filters.start and filters.end and filters.end < filters.start:
        raise ValidationError({"end": _("The last day cannot be before the first.")})
    entries = list_time_entries(
        viewer=viewer_of(request),
        filters=TimeEntryFilters(
            user_id=filters.user_id,
            project_id=filters.project_id,
            task_id=filters.task_id,
            start=filters.start,
            end=filters.end,
            billable=filters.billable,
            invoiced=filters.invoiced,
            running=filters.running,
        ),
    )
    return list_page(entries, offset=filters.offset, limit=filters.limit)


@time_entries_router.post(
    "",
    response={201: TimeEntryOut, **WRITE_ERRORS},
    summary="Log time",
    description="Finished work: started_at with ended_at or minutes, or day with minutes. "
    "The rate (task, else project, else your own) is fixed on the entry.",
)
def create_entry_view(request: HttpRequest, payload: TimeEntryCreateIn) -> Status[TimeEntry]:
    viewer = viewer_of(request)
    fields = payload.dict(exclude_unset=True)
    project, task, _sent = _target(viewer, fields)
    if project is None:
        raise ValidationError({"project_id": _("Give the project or a task.")})
    entry = log_time(
        actor=viewer,
        project=project,
        task=task,
        day=fields.get("day"),
        started_at=fields.get("started_at"),
        ended_at=fields.get("ended_at"),
        minutes=fields.get("minutes"),
        note=payload.note,
        billable=payload.billable,
    )
    return Status(201, entry)


@time_entries_router.get(
    "/{entry_id}", response={200: TimeEntryOut, **READ_ERRORS}, summary="Get a time entry"
)
def get_entry_view(request: HttpRequest, entry_id: int) -> TimeEntry:
    return get_time_entry(viewer=viewer_of(request), pk=entry_id)


@time_entries_router.patch(
    "/{entry_id}",
    response={200: TimeEntryOut, **WRITE_ERRORS},
    summary="Change a time entry",
    description="Only the fields sent change. Invoiced entries answer 409.",
)
def update_entry_view(request: HttpRequest, entry_id: int, payload: TimeEntryUpdateIn) -> TimeEntry:
    viewer = viewer_of(request)
    entry = _entry(viewer, entry_id)
    fields = payload.dict(exclude_unset=True)
    if "project_id" in fields and fields["project_id"] is None:
        raise ValidationError({"project_id": _("A time entry needs a project.")})
    project, task, task_sent = _target(
        viewer, fields, current=None if "project_id" in fields else entry.project
    )
    values = {
        name: fields[name]
        for name in ("day", "started_at", "ended_at", "minutes", "note", "billable")
        if name in fields
    }
    if project is not None:
        values["project"] = project
    if task_sent:
        values["task"] = task
    try:
        return update_time_entry(entry=entry, actor=viewer, values=values)
    except TimeEntryLocked as error:
        raise _conflict(error) from None


@time_entries_router.delete(
    "/{entry_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Delete a time entry",
    description="Invoiced entries answer 409.",
)
def delete_entry_view(request: HttpRequest, entry_id: int) -> Status[None]:
    viewer = viewer_of(request)
    try:
        delete_time_entry(entry=_entry(viewer, entry_id), actor=viewer)
    except TimeEntryLocked as error:
        raise _conflict(error) from None
    return Status(204, None)


# --- timer -------------------------------------------------------------------------------


@timer_router.get("", response={200: TimerOut, **READ_ERRORS}, summary="Your running timer, if any")
def timer_view(request: HttpRequest) -> dict[str, Any]:
    return {"entry": get_running_timer(viewer=viewer_of(request)), "stopped": None}


@timer_router.post(
    "/start",
    response={201: TimerOut, **WRITE_ERRORS},
    summary="Start the timer",
    description="On a project, or on a task (its project is implied). A timer already "
    "running is stopped first and returned in `stopped`.",
)
def start_view(request: HttpRequest, payload: TimerStartIn) -> Status[dict[str, Any]]:
    viewer = viewer_of(request)
    project, task, _sent = _target(viewer, payload.dict(exclude_unset=True))
    if project is None:
        raise ValidationError({"project_id": _("Give the project or a task.")})
    try:
        entry, stopped = start_timer(
            actor=viewer, project=project, task=task, note=payload.note, billable=payload.billable
        )
    except TimerConflict as error:
        raise _conflict(error) from None
    return Status(201, {"entry": entry, "stopped": stopped})


@timer_router.post(
    "/stop",
    response={200: TimerOut, **WRITE_ERRORS},
    summary="Stop the timer",
    description="Answers 409 when no timer of yours runs. The finished entry is in `stopped`.",
)
def stop_view(request: HttpRequest) -> dict[str, Any]:
    try:
        entry = stop_timer(actor=viewer_of(request))
    except TimerConflict as error:
        raise _conflict(error) from None
    return {"entry": None, "stopped": entry}


# --- rates -------------------------------------------------------------------------------


@rates_router.get(
    "",
    response={200: RateListOut, **READ_ERRORS},
    summary="List hourly rates",
    description="Managers, admins and finance see all; others their own rate and those of "
    "projects and tasks they can see.",
)
def list_rates_view(request: HttpRequest, filters: Query[RateFilterIn]) -> dict[str, Any]:
    read_query(request, filters)
    rates = list_hourly_rates(
        viewer=viewer_of(request),
        user_id=filters.user_id,
        project_id=filters.project_id,
        task_id=filters.task_id,
    )
    return list_page(rates, offset=filters.offset, limit=filters.limit)


@rates_router.post(
    "",
    response={200: RateOut, 201: RateOut, **WRITE_ERRORS_403},
    summary="Set an hourly rate",
    description="For exactly one user, project or task, replacing its rate (200) or adding "
    "one (201). Managers and admins only. Entries already logged keep their rate.",
)
def set_rate_view(request: HttpRequest, payload: RateIn) -> Status[HourlyRate]:
    viewer = viewer_of(request)
    fields = payload.dict(exclude_unset=True)
    sent = [name for name in ("user_id", "project_id", "task_id") if fields.get(name)]
    if len(sent) != 1:
        raise ValidationError(_("Give exactly one of user_id, project_id and task_id."))
    errors: dict[str, str] = {}
    user = resolve_reference(
        errors,
        "user_id",
        fields.get("user_id"),
        lambda pk: get_assignable_owner(viewer=viewer, pk=pk),
        _("There is no active user with id %(id)s."),
    )
    project, task, _sent = (None, None, False)
    if not errors and user is None:
        project, task, _sent = _target(viewer, fields)
        if task is not None:
            project = None
    if errors:
        raise ValidationError(errors)
    try:
        hourly, created = set_hourly_rate(
            actor=viewer,
            rate=payload.rate,
            currency=payload.currency,
            user=user,
            project=project,
            task=task,
        )
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    return Status(201 if created else 200, hourly)


@rates_router.delete(
    "/{rate_id}",
    response={204: None, **WRITE_ERRORS_403},
    summary="Remove an hourly rate",
    description="New entries then get the next less specific rate. Managers and admins only.",
)
def delete_rate_view(request: HttpRequest, rate_id: int) -> Status[None]:
    viewer = viewer_of(request)
    try:
        delete_hourly_rate(actor=viewer, hourly_rate=get_hourly_rate(viewer=viewer, pk=rate_id))
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    return Status(204, None)
