"""The contact card's campaign panel: which campaign brought the contact, changeable by staff."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hamkor.accounts.models import User
from hamkor.contacts.models import Contact
from hamkor.contacts.views.common import visible_contact
from hamkor.core.panels import ContactPanel, register_panel
from hamkor.marketing.models import Campaign
from hamkor.marketing.selectors import get_attribution, get_campaign, list_campaigns
from hamkor.marketing.services import attribute_contact

PANEL_TEMPLATE = "marketing/_campaign_panel.html"


def campaign_panel_context(contact: Contact, viewer: User) -> dict[str, Any] | None:
    """The contact's attribution and the campaigns staff may choose from."""
    return {
        "contact": contact,
        "attribution": get_attribution(contact=contact),
        "campaigns": list(list_campaigns()),
    }


def register() -> None:
    """Show the campaign panel on contact cards."""
    register_panel(
        ContactPanel(
            key="marketing-campaign",
            template=PANEL_TEMPLATE,
            context=campaign_panel_context,
            order=40,
            lazy=True,
        )
    )


@login_required
@require_POST
def set_contact_campaign(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff choose (or clear) the campaign that brought a contact; answers the panel."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required ran first
    contact = visible_contact(request, pk)  # type: ignore[arg-type]
    raw = request.POST.get("campaign", "").strip()
    error = ""
    campaign: Campaign | None = None
    if raw:
        try:
            campaign = get_campaign(pk=int(raw))
        except (ValueError, Campaign.DoesNotExist):
            error = _("Choose one of the campaigns in the list.")
    if not error:
        attribute_contact(contact=contact, campaign=campaign, actor=user)
    context = campaign_panel_context(contact, user)
    if context is None:
        raise Http404
    context["error"] = error
    return render(
        request,
        PANEL_TEMPLATE,
        {"panel": {"context": context}},
        status=422 if error else 200,
    )
