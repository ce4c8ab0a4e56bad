"""SLA settings (targets per priority, the working week) and the CSAT report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hamkor.contacts.views.common import AuthedRequest
from hamkor.support.calendar import organisation_week
from hamkor.support.forms import CalendarForm, PolicyForm
from hamkor.support.models import Priority
from hamkor.support.selectors.csat import list_agent_scores
from hamkor.support.services.sla import save_policies, save_working_calendar, targets_for
from hamkor.support.views.common import apply_errors, require_manager


def _calendar_initial() -> dict[str, object]:
    week = organisation_week()
    initial: dict[str, object] = {"time_zone": week.zone.key}
    for day, (opens, closes) in week.hours.items():
        initial[f"open_{day}"], initial[f"close_{day}"] = opens, closes
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def sla_settings(request: AuthedRequest) -> HttpResponse:
    """Targets per priority in working hours, and the organisation's working week."""
    require_manager(request)
    targets = {value: targets_for(value) for value in Priority.values}
    policy_form = PolicyForm(initial_targets=targets)
    calendar_form = CalendarForm(initial=_calendar_initial())
    status = 200
    if request.method == "POST" and "save_policies" in request.POST:
        policy_form = PolicyForm(request.POST, initial_targets=targets)
        if policy_form.is_valid():
            try:
                save_policies(targets=policy_form.targets(), actor=request.user)
            except ValidationError as error:
                apply_errors(policy_form, error)
            else:
                messages.success(request, _("The SLA targets were saved."))
                return redirect("support:sla_settings")
        status = 422
    elif request.method == "POST":
        calendar_form = CalendarForm(request.POST)
        if calendar_form.is_valid():
            try:
                save_working_calendar(
                    time_zone=calendar_form.cleaned_data["time_zone"].strip(),
                    hours=calendar_form.hours(),
                    actor=request.user,
                )
            except ValidationError as error:
                apply_errors(calendar_form, error)
            else:
                messages.success(request, _("The working week was saved."))
                return redirect("support:sla_settings")
        status = 422
    context = {"policy_form": policy_form, "calendar_form": calendar_form}
    return render(request, "support/sla_settings.html", context, status=status)


@login_required
@require_GET
def csat_report(request: AuthedRequest) -> HttpResponse:
    """Average satisfaction per agent over the tickets the user sees."""
    return render(
        request, "support/csat_report.html", {"scores": list_agent_scores(viewer=request.user)}
    )


urlpatterns: list[URLPattern] = [
    path("settings/", sla_settings, name="sla_settings"),
    path("satisfaction/", csat_report, name="csat_report"),
]
