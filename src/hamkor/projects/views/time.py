"""Time pages: the timer (buttons and top-bar indicator), the weekly timesheet with manual
entries, and hourly rates.

Starting a timer while another runs stops the running one (the page says which). Every
timer change answers with the ``timer-changed`` htmx event, so the top bar and any other
timer button on the page refresh themselves.
"""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamkor.contacts.forms import apply_service_errors
from hamkor.contacts.views.common import AuthedRequest, wants_partial
from hamkor.projects.forms_time import HourlyRateForm, TimeEntryForm
from hamkor.projects.models import HourlyRate, Project, Task, TimeEntry
from hamkor.projects.selectors.time import (
    get_editable_time_entry,
    get_hourly_rate,
    get_loggable_project,
    get_loggable_task,
    get_running_timer,
    get_timesheet,
    list_hourly_rates,
    zone_of,
)
from hamkor.projects.services.time import (
    TimerConflict,
    delete_hourly_rate,
    delete_time_entry,
    log_time,
    set_hourly_rate,
    start_timer,
    stop_timer,
    update_time_entry,
)
from hamkor.projects.views.common import next_url

TIMER_EVENT = "timer-changed"


def _timesheet_url(day: datetime.date | None = None) -> str:
    url = reverse("projects:timesheet")
    return f"{url}?week={day.isoformat()}" if day else url


def _editable(request: AuthedRequest, pk: int) -> TimeEntry:
    try:
        return get_editable_time_entry(viewer=request.user, pk=pk)
    except TimeEntry.DoesNotExist:
        raise Http404 from None


def _week(request: AuthedRequest) -> datetime.date | None:
    raw = request.GET.get("week", "")
    try:
        return datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _timesheet_page(
    request: AuthedRequest, form: TimeEntryForm, *, week: datetime.date | None, status: int = 200
) -> HttpResponse:
    sheet = get_timesheet(viewer=request.user, week_start=week)
    context = {"sheet": sheet, "form": form, "today": timezone.localdate()}
    return render(request, "projects/time_sheet.html", context, status=status)


# --- timesheet ---------------------------------------------------------------------------


@login_required
@require_GET
def timesheet(request: AuthedRequest) -> HttpResponse:
    """My entries of one week, totals per day, and a form for a manual entry."""
    week = _week(request)
    initial: dict[str, Any] = {"day": timezone.localdate(), "billable": True}
    raw_project = request.GET.get("project", "")
    if raw_project.isdigit():
        with contextlib.suppress(Project.DoesNotExist):
            initial["project"] = get_loggable_project(viewer=request.user, pk=int(raw_project))
    form = TimeEntryForm(initial=initial, viewer=request.user)
    return _timesheet_page(request, form, week=week)


@login_required
@require_POST
def entry_create(request: AuthedRequest) -> HttpResponse:
    """Log finished work from the timesheet form."""
    form = TimeEntryForm(request.POST, viewer=request.user)
    if form.is_valid():
        values = form.service_values(zone=zone_of(request.user))
        try:
            entry = log_time(actor=request.user, **values)
        except ValidationError as error:
            apply_service_errors(form, _as_form_errors(error))
        else:
            messages.success(request, _("Time logged."))
            local_day = timezone.localtime(entry.started_at).date()
            return redirect(_timesheet_url(local_day))
    return _timesheet_page(request, form, week=form.cleaned_data.get("day"), status=422)


def _as_form_errors(error: ValidationError) -> ValidationError:
    """Service field names (minutes, started_at, ...) shown beside the form's own fields."""
    if not hasattr(error, "error_dict"):
        return error
    names = {
        "minutes": "duration",
        "started_at": "start_time",
        "ended_at": "end_time",
        "task": "task",
        "day": "day",
    }
    return ValidationError(
        {names.get(key, key): messages for key, messages in error.message_dict.items()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Change one of my entries (managers: anyone's); invoiced ones are read-only."""
    entry = _editable(request, pk)
    zone = zone_of(entry.user)
    local_start = timezone.localtime(entry.started_at, zone)
    local_end = timezone.localtime(entry.ended_at, zone) if entry.ended_at else None
    duration_only = local_start.time() == datetime.time.min
    initial = {
        "project": entry.project,
        "task": entry.task,
        "day": local_start.date(),
        "duration": f"{(entry.minutes or 0) // 60}:{(entry.minutes or 0) % 60:02d}",
        "start_time": None if duration_only else local_start.time().replace(second=0),
        "end_time": None if duration_only or local_end is None else local_end.time(),
        "note": entry.note,
        "billable": entry.billable,
    }
    if initial["start_time"] is not None:
        initial["duration"] = ""
    form = TimeEntryForm(request.POST or None, initial=initial, viewer=request.user)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            values = form.service_values(zone=zone)
            if entry.ended_at is None:
                # A running timer keeps running: only what it is about changes.
                values = {k: v for k, v in values.items() if k in ("project", "task", "note")}
                values["billable"] = form.cleaned_data.get("billable", entry.billable)
            elif "day" in values:
                values.update(started_at=None, ended_at=None)
            try:
                update_time_entry(entry=entry, actor=request.user, values=values)
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as error:
                apply_service_errors(form, _as_form_errors(error))
            else:
                messages.success(request, _("Time entry saved."))
                return redirect(next_url(request, _timesheet_url(local_start.date())))
    context = {
        "form": form,
        "entry": entry,
        "next": next_url(request, _timesheet_url(local_start.date())),
    }
    return render(request, "projects/time_entry_form.html", context, status=status)


@login_required
@require_POST
def entry_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Delete one of my entries, unless it is invoiced."""
    entry = _editable(request, pk)
    day = timezone.localtime(entry.started_at).date()
    try:
        delete_time_entry(entry=entry, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Time entry deleted."))
    response = redirect(next_url(request, _timesheet_url(day)))
    response["HX-Trigger"] = TIMER_EVENT
    return response


@login_required
@require_GET
def task_options(request: AuthedRequest) -> HttpResponse:
    """The task <option>s of one project, for the timesheet form's task picker."""
    tasks: list[Task] = []
    raw = request.GET.get("project", "")
    if raw.isdigit():
        try:
            project = get_loggable_project(viewer=request.user, pk=int(raw))
        except Project.DoesNotExist:
            project = None
        if project is not None:
            tasks = list(project.tasks.order_by("position", "id"))
    return render(request, "projects/time_task_options.html", {"tasks": tasks})


# --- timer -------------------------------------------------------------------------------


def _timer_target(request: AuthedRequest) -> tuple[Project, Task | None]:
    source = request.POST if request.method == "POST" else request.GET
    raw_task, raw_project = source.get("task", ""), source.get("project", "")
    try:
        if raw_task:
            task = get_loggable_task(viewer=request.user, pk=int(raw_task))
            return task.project, task
        return get_loggable_project(viewer=request.user, pk=int(raw_project)), None
    except (ValueError, ObjectDoesNotExist):
        raise Http404 from None


def _timer_answer(
    request: AuthedRequest,
    project: Project | None,
    task: Task | None,
    *,
    notice: str = "",
    error: str = "",
) -> HttpResponse:
    if not wants_partial(request):
        if error:
            messages.error(request, error)
        elif notice:
            messages.info(request, notice)
        return redirect(next_url(request, _timesheet_url()))
    if project is None:
        response = render(request, "projects/_timer_indicator.html", _indicator(request))
    else:
        entry = get_running_timer(viewer=request.user)
        context = {
            "project": project,
            "task": task,
            "entry": entry,
            "here": _is_here(entry, project, task),
            "notice": notice,
            "error": error,
        }
        response = render(request, "projects/_timer_button.html", context)
    response["HX-Trigger"] = TIMER_EVENT
    return response


def _is_here(entry: TimeEntry | None, project: Project, task: Task | None) -> bool:
    """Whether the running timer is the one for this project (and task)."""
    return (
        entry is not None
        and entry.project_id == project.pk
        and entry.task_id == (task.pk if task else None)
    )


def _indicator(request: AuthedRequest) -> dict[str, Any]:
    return {"entry": get_running_timer(viewer=request.user)}


@login_required
@require_POST
def timer_start(request: AuthedRequest) -> HttpResponse:
    """Start my timer on a project or task, stopping the one running."""
    project, task = _timer_target(request)
    try:
        _entry, stopped = start_timer(actor=request.user, project=project, task=task)
    except ValidationError as error:
        return _timer_answer(request, project, task, error=" ".join(error.messages))
    notice = ""
    if stopped is not None:
        notice = _("The timer on %(what)s was stopped at %(minutes)s min.") % {
            "what": stopped.task or stopped.project,
            "minutes": stopped.minutes,
        }
    return _timer_answer(request, project, task, notice=notice)


@login_required
@require_POST
def timer_stop(request: AuthedRequest) -> HttpResponse:
    """Stop my running timer; the button that asked is re-rendered (or the top bar)."""
    project: Project | None = None
    task: Task | None = None
    if request.POST.get("project") or request.POST.get("task"):
        project, task = _timer_target(request)
    try:
        entry = stop_timer(actor=request.user)
    except TimerConflict as error:
        return _timer_answer(request, project, task, error=" ".join(error.messages))
    notice = _("Timer stopped: %(minutes)s min logged.") % {"minutes": entry.minutes}
    return _timer_answer(request, project, task, notice=notice)


@login_required
@require_GET
def timer_indicator(request: AuthedRequest) -> HttpResponse:
    """The top-bar indicator alone, for htmx to refresh after a timer change."""
    return render(request, "projects/_timer_indicator.html", _indicator(request))


@login_required
@require_GET
def timer_button(request: AuthedRequest) -> HttpResponse:
    """One start/stop button alone, for htmx to refresh after a timer change elsewhere."""
    project, task = _timer_target(request)
    entry = get_running_timer(viewer=request.user)
    here = _is_here(entry, project, task)
    context = {"project": project, "task": task, "entry": entry, "here": here}
    return render(request, "projects/_timer_button.html", context)


# --- rates -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rates(request: AuthedRequest) -> HttpResponse:
    """Hourly rates: everyone sees those they may; managers and admins set them."""
    can_edit = request.user.sees_everything
    form = HourlyRateForm(request.POST or None, viewer=request.user)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                task = (
                    get_loggable_task(viewer=request.user, pk=data["task"])
                    if data.get("task")
                    else None
                )
            except Task.DoesNotExist:
                form.add_error("task", _("There is no task with this number that you can see."))
            else:
                try:
                    set_hourly_rate(
                        actor=request.user,
                        rate=data["rate"],
                        currency=data["currency"],
                        user=data.get("user"),
                        project=data.get("project"),
                        task=task,
                    )
                except ValidationError as error:
                    apply_service_errors(form, error)
                else:
                    messages.success(request, _("Rate saved."))
                    return redirect("projects:rates")
    context = {
        "rates": list_hourly_rates(viewer=request.user)[:500],
        "form": form,
        "can_edit": can_edit,
    }
    return render(request, "projects/time_rates.html", context, status=status)


@login_required
@require_POST
def rate_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Remove a rate (managers and admins)."""
    try:
        hourly = get_hourly_rate(viewer=request.user, pk=pk)
    except HourlyRate.DoesNotExist:
        raise Http404 from None
    delete_hourly_rate(actor=request.user, hourly_rate=hourly)
    messages.success(request, _("Rate removed."))
    return redirect("projects:rates")
