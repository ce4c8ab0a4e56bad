"""Planning, changing, completing and deleting activities; the overdue list; the card panel."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hamkor.accounts.models import User
from hamkor.accounts.selectors import list_assignable_users
from hamkor.activities.forms import ActivityForm, CompleteForm
from hamkor.activities.models import Activity
from hamkor.activities.selectors.activities import (
    get_activity,
    list_open_for_contact,
    list_overdue,
)
from hamkor.activities.services.activities import (
    complete_activity,
    delete_activity,
    plan_activity,
    update_activity,
)
from hamkor.activities.views.interactions import AuthedRequest
from hamkor.contacts.forms import apply_service_errors
from hamkor.contacts.models import Contact
from hamkor.contacts.selectors import get_company, get_contact
from hamkor.sales.selectors.deals import get_deal


def _get(request: AuthedRequest, pk: int) -> Activity:
    try:
        return get_activity(viewer=request.user, pk=pk)
    except Activity.DoesNotExist:
        raise Http404 from None


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _links(request: AuthedRequest) -> dict[str, Any]:
    """The contact, company or deal named by ?contact= / ?company= / ?deal=; 404 if not visible."""
    source = request.POST if request.method == "POST" else request.GET
    links: dict[str, Any] = {}
    lookups = (
        ("contact", get_contact),
        ("company", get_company),
        ("deal", get_deal),
    )
    for name, getter in lookups:
        raw = source.get(name, "")
        if not raw:
            continue
        try:
            links[name] = getter(viewer=request.user, pk=int(raw))
        except (ValueError, ObjectDoesNotExist):
            raise Http404 from None
    return links


def _owners(viewer: User) -> Any:
    return list_assignable_users(viewer=viewer)


@login_required
def create(request: AuthedRequest) -> HttpResponse:
    """Plan an activity, optionally for a contact, company or deal."""
    links = _links(request)
    owners = _owners(request.user)
    if request.method == "POST":
        form = ActivityForm(request.POST, owners=owners)
        if form.is_valid():
            try:
                plan_activity(
                    actor=request.user,
                    values=form.values(),
                    owner=form.cleaned_data["owner"],
                    **links,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The activity was planned."))
                return redirect(_next_url(request, reverse("activities:calendar")))
    else:
        form = ActivityForm(owners=owners, initial={"owner": request.user.pk})
        kind = request.GET.get("kind", "")
        if kind:
            form.initial["kind"] = kind
    context = {"form": form, "links": links, "next": _next_url(request, "")}
    return render(request, "activities/activity_form.html", context)


@login_required
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """An activity: edit it, or complete it with its outcome and follow-up."""
    activity = _get(request, pk)
    owners = _owners(request.user)
    form = ActivityForm.for_activity(activity, owners=owners)
    complete_form = CompleteForm(initial={"follow_up_subject": activity.subject})
    if request.method == "POST":
        form = ActivityForm(request.POST, owners=owners)
        if form.is_valid():
            try:
                update_activity(
                    activity=activity,
                    actor=request.user,
                    values=form.values(),
                    owner=form.cleaned_data["owner"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The activity was saved."))
                return redirect(_next_url(request, reverse("activities:detail", args=[pk])))
    context = {
        "activity": activity,
        "form": form,
        "complete_form": complete_form,
        "next": _next_url(request, ""),
    }
    return render(request, "activities/activity_detail.html", context)


@login_required
@require_POST
def complete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record the outcome; a follow-up in the same form is planned in the same transaction."""
    activity = _get(request, pk)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            _done, follow_up = complete_activity(
                activity=activity,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                follow_up=form.follow_up_values(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if follow_up is not None:
                messages.success(request, _("Done; the follow-up was planned."))
            else:
                messages.success(request, _("The activity was marked as done."))
            return redirect(_next_url(request, reverse("activities:detail", args=[pk])))
    activity.refresh_from_db()
    context = {
        "activity": activity,
        "form": ActivityForm.for_activity(activity, owners=_owners(request.user)),
        "complete_form": form,
        "next": _next_url(request, ""),
    }
    return render(request, "activities/activity_detail.html", context, status=422)


@login_required
@require_POST
def delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Delete an activity planned by mistake."""
    activity = _get(request, pk)
    delete_activity(activity=activity, actor=request.user)
    messages.success(request, _("The activity was deleted."))
    return redirect(_next_url(request, reverse("activities:calendar")))


@login_required
@require_GET
def overdue(request: AuthedRequest) -> HttpResponse:
    """Open activities past their due time: the viewer's own, or everyone's they may see."""
    everyone = request.GET.get("all") == "1"
    activities = list_overdue(viewer=request.user, owner_id=None if everyone else request.user.pk)[
        :500
    ]
    return render(
        request, "activities/overdue.html", {"activities": activities, "everyone": everyone}
    )


def contact_panel_context(contact: Contact, viewer: User) -> dict[str, Any]:
    """What the activities panel on the contact card shows (visibility checked by the card)."""
    return {
        "contact": contact,
        "activities": list_open_for_contact(viewer=viewer, contact_id=contact.pk),
    }
