"""Home page, the customer timeline and logging, editing or deleting interactions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from hamkor.accounts.models import User
from hamkor.activities.forms import InteractionForm
from hamkor.activities.models import Interaction
from hamkor.activities.selectors import count_interactions_since, get_interaction
from hamkor.activities.selectors.activities import list_my_day, list_overdue
from hamkor.activities.services import delete_interaction, log_interaction, update_interaction
from hamkor.contacts.forms import apply_service_errors
from hamkor.contacts.models import Company, Contact
from hamkor.contacts.selectors import (
    count_companies,
    count_contacts,
    get_company,
    get_contact,
    list_recent_contacts,
)
from hamkor.core.timeline import build_timeline, channel_choices

TIMELINE_PAGE = 20
RECENT_DAYS = 7


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """ "My day" (today's activities, overdue count), counts and recently touched contacts."""
    viewer = request.user
    context = {
        "contact_count": count_contacts(viewer=viewer),
        "company_count": count_companies(viewer=viewer),
        "interaction_count": count_interactions_since(viewer=viewer, days=RECENT_DAYS),
        "recent_days": RECENT_DAYS,
        "recent_contacts": list_recent_contacts(viewer=viewer),
        "my_day": list_my_day(viewer=viewer),
        "overdue_count": list_overdue(viewer=viewer, owner_id=viewer.pk).count(),
    }
    return render(request, "activities/home.html", context)


# --- timeline --------------------------------------------------------------------------


def _owner_urls(owner: Contact | Company) -> tuple[str, str, str]:
    """(timeline url, log url, detail url) of a contact or company."""
    if isinstance(owner, Contact):
        return (
            reverse("activities:contact_timeline", args=[owner.pk]),
            reverse("activities:log_contact", args=[owner.pk]),
            reverse("contacts:detail", args=[owner.pk]),
        )
    return (
        reverse("activities:company_timeline", args=[owner.pk]),
        reverse("activities:log_company", args=[owner.pk]),
        reverse("contacts:company_detail", args=[owner.pk]),
    )


def timeline_context(
    *, viewer: User, owner: Contact | Company, channel: str = "", offset: int = 0
) -> dict[str, Any]:
    """Template context for one page of a contact's or company's timeline.

    The caller has already fetched ``owner`` through a selector, so it is visible.
    """
    is_contact = isinstance(owner, Contact)
    known_channels = channel_choices()
    if channel not in {value for value, _label in known_channels}:
        channel = ""
    # One extra entry tells whether a "load more" button is needed.
    entries = build_timeline(
        viewer=viewer,
        contact_ids=[owner.pk] if is_contact else [],
        company_ids=[] if is_contact else [owner.pk],
        channel=channel,
        limit=TIMELINE_PAGE + 1,
        offset=offset,
    )
    timeline_url, log_url, detail_url = _owner_urls(owner)
    return {
        "entries": entries[:TIMELINE_PAGE],
        "has_more": len(entries) > TIMELINE_PAGE,
        "offset": offset,
        "next_offset": offset + TIMELINE_PAGE,
        "channel": channel,
        "channels": known_channels,
        "timeline_url": timeline_url,
        "log_url": log_url,
        "detail_url": detail_url,
        "on_company": not is_contact,
    }


def _offset(request: HttpRequest) -> int:
    try:
        return max(0, int(request.GET.get("offset", "0")))
    except ValueError:
        return 0


def _timeline_response(request: AuthedRequest, owner: Contact | Company) -> HttpResponse:
    context = timeline_context(
        viewer=request.user,
        owner=owner,
        channel=request.GET.get("channel", ""),
        offset=_offset(request),
    )
    if not request.htmx:
        # Without JavaScript the channel filter lands on the detail page itself.
        query = request.GET.urlencode()
        detail_url = context["detail_url"]
        return HttpResponseRedirect(f"{detail_url}?{query}" if query else detail_url)
    # "Load more" appends entries; a channel change replaces the whole timeline block.
    template = (
        "activities/_timeline_page.html" if context["offset"] else "activities/_timeline.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def contact_timeline(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        contact = get_contact(viewer=request.user, pk=pk)
    except Contact.DoesNotExist:
        raise Http404 from None
    return _timeline_response(request, contact)


@login_required
@require_GET
def company_timeline(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        company = get_company(viewer=request.user, pk=pk)
    except Company.DoesNotExist:
        raise Http404 from None
    return _timeline_response(request, company)


# --- logging, editing, deleting --------------------------------------------------------


def _log(request: AuthedRequest, owner: Contact | Company) -> HttpResponse:
    form = InteractionForm(request.POST)
    if form.is_valid():
        try:
            log_interaction(
                actor=request.user,
                contact=owner if isinstance(owner, Contact) else None,
                company=owner if isinstance(owner, Company) else None,
                values=form.values(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if request.htmx:
                # A fresh form, and the timeline swapped out-of-band with the new entry on top.
                context = timeline_context(viewer=request.user, owner=owner)
                context.update(form=InteractionForm(), oob=True, just_logged=True)
                return render(request, "activities/_log_response.html", context)
            messages.success(request, _("The interaction was logged."))
            return redirect(_owner_urls(owner)[2])
    context = timeline_context(viewer=request.user, owner=owner)
    context.update(form=form, owner=owner)
    template = "activities/_log_form.html" if request.htmx else "activities/log_form_page.html"
    return render(request, template, context)


@login_required
@require_POST
def log_for_contact(request: AuthedRequest, pk: int) -> HttpResponse:
    """Log an interaction with a contact (inline on the detail page, or as a plain POST)."""
    try:
        contact = get_contact(viewer=request.user, pk=pk)
    except Contact.DoesNotExist:
        raise Http404 from None
    return _log(request, contact)


@login_required
@require_POST
def log_for_company(request: AuthedRequest, pk: int) -> HttpResponse:
    """Log an interaction with a company."""
    try:
        company = get_company(viewer=request.user, pk=pk)
    except Company.DoesNotExist:
        raise Http404 from None
    return _log(request, company)


def _return_url(request: HttpRequest, interaction: Interaction) -> str:
    """Where to go after editing: a safe ?next=, else the customer's page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    if interaction.contact_id:
        return reverse("contacts:detail", args=[interaction.contact_id])
    return reverse("contacts:company_detail", args=[interaction.company_id])


def _get_interaction(request: AuthedRequest, pk: int) -> Interaction:
    try:
        return get_interaction(viewer=request.user, pk=pk)
    except Interaction.DoesNotExist:
        raise Http404 from None


@login_required
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Correct an interaction."""
    interaction = _get_interaction(request, pk)
    return_url = _return_url(request, interaction)
    if request.method == "POST":
        form = InteractionForm(request.POST)
        if form.is_valid():
            try:
                update_interaction(
                    interaction=interaction, actor=request.user, values=form.values()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The interaction was updated."))
                return redirect(return_url)
    else:
        form = InteractionForm.for_interaction(interaction)
    context = {"form": form, "interaction": interaction, "return_url": return_url}
    return render(request, "activities/interaction_form.html", context)


@login_required
@require_POST
def delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Delete an interaction; from the timeline, htmx removes its entry in place."""
    interaction = _get_interaction(request, pk)
    return_url = _return_url(request, interaction)
    delete_interaction(interaction=interaction, actor=request.user)
    if request.htmx:
        return HttpResponse("")
    messages.success(request, _("The interaction was deleted."))
    return redirect(return_url)
