"""The workload table (managers see everyone, others their own row) and the risk list, which
refreshes itself by htmx polling every 30 seconds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hamkor.accounts.models import User
from hamkor.contacts.selectors import get_assignable_owner
from hamkor.contacts.views.common import AuthedRequest, wants_partial
from hamkor.projects.forms_time import CapacityForm
from hamkor.projects.selectors.risk import get_risk_list
from hamkor.projects.selectors.workload import (
    DEFAULT_WEEKS,
    MAX_WEEKS,
    get_workload,
    list_workload_teams,
)
from hamkor.projects.services.time import set_work_capacity

# How often the risk list asks for a fresh copy.
RISK_POLL_SECONDS = 30


def _int(raw: str, default: int | None) -> int | None:
    try:
        return int(raw) if raw else default
    except ValueError:
        return default


@login_required
@require_GET
def workload(request: AuthedRequest) -> HttpResponse:
    """Open hours per person per ISO week against capacity; ?weeks=N&team=ID."""
    weeks = max(
        1, min(_int(request.GET.get("weeks", ""), DEFAULT_WEEKS) or DEFAULT_WEEKS, MAX_WEEKS)
    )
    team_id = _int(request.GET.get("team", ""), None) if request.user.sees_everything else None
    table = get_workload(viewer=request.user, weeks=weeks, team_id=team_id)
    context = {
        "workload": table,
        "weeks": weeks,
        "week_choices": [1, 2, 4, 6, 8, 12],
        "teams": list_workload_teams() if request.user.sees_everything else [],
        "team_id": team_id,
        "can_edit": request.user.sees_everything,
    }
    template = (
        "projects/workload_table.html" if wants_partial(request) else "projects/workload.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def capacity(request: AuthedRequest, user_id: int) -> HttpResponse:
    """Set a person's weekly hours (managers and admins)."""
    if not request.user.sees_everything:
        raise PermissionDenied
    try:
        person: User = get_assignable_owner(viewer=request.user, pk=user_id)
    except User.DoesNotExist:
        raise Http404 from None
    form = CapacityForm(request.POST)
    if form.is_valid():
        try:
            set_work_capacity(
                actor=request.user, user=person, weekly_hours=form.cleaned_data["weekly_hours"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Capacity of %(name)s saved.") % {"name": str(person)})
    else:
        messages.error(
            request,
            _("Capacity of %(name)s not saved: %(error)s")
            % {
                "name": str(person),
                "error": " ".join(str(e) for e in form.errors.get("weekly_hours", [])),
            },
        )
    query = request.POST.get("query", "")
    url = reverse("projects:workload")
    return redirect(f"{url}?{query}" if query else url)


@login_required
@require_GET
def risks(request: AuthedRequest) -> HttpResponse:
    """Overdue tasks, late projects and budget overruns; htmx asks for the list alone."""
    risk_list = get_risk_list(viewer=request.user)  # PermissionDenied: 403 for non-managers
    context = {"risks": risk_list, "poll_seconds": RISK_POLL_SECONDS}
    template = "projects/risk_list.html" if wants_partial(request) else "projects/risks.html"
    return render(request, template, context)
