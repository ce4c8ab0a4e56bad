"""Campaigns and the attribution of contacts to them."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.contacts.models import Contact, Source
from hamkor.core.audit import record_event
from hamkor.marketing.models import Attribution, Campaign

UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")


@dataclass(frozen=True)
class CampaignInput:
    name: str
    channel: str
    starts_on: datetime.date
    currency: str
    cost: Decimal = Decimal("0")
    ends_on: datetime.date | None = None
    source: Source | None = None
    utm_campaign: str = ""
    notes: str = ""


def _apply(campaign: Campaign, values: CampaignInput) -> None:
    campaign.name = values.name.strip()
    campaign.channel = values.channel
    campaign.starts_on = values.starts_on
    campaign.ends_on = values.ends_on
    campaign.cost = values.cost
    campaign.currency = values.currency.strip().upper()
    campaign.source = values.source
    campaign.utm_campaign = values.utm_campaign.strip().lower() or None
    campaign.notes = values.notes
    errors: dict[str, str] = {}
    if values.ends_on and values.ends_on < values.starts_on:
        errors["ends_on"] = _("A campaign cannot end before it starts.")
    if len(campaign.currency) != 3 or not campaign.currency.isalpha():
        errors["currency"] = _("Give a three-letter currency code such as UZS or USD.")
    if errors:
        raise ValidationError(errors)
    taken = Campaign.objects.filter(utm_campaign=campaign.utm_campaign).exclude(pk=campaign.pk)
    if campaign.utm_campaign and taken.exists():
        raise ValidationError({"utm_campaign": _("Another campaign already uses this UTM code.")})
    campaign.full_clean(validate_unique=False, validate_constraints=False)


@transaction.atomic
def create_campaign(*, actor: User, values: CampaignInput) -> Campaign:
    """A new campaign."""
    campaign = Campaign(created_by=actor)
    _apply(campaign, values)
    campaign.save()
    record_event(actor=actor, verb="marketing.campaign_created", target=campaign)
    return campaign


@transaction.atomic
def update_campaign(*, campaign: Campaign, actor: User, values: CampaignInput) -> Campaign:
    """Change a campaign."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _apply(campaign, values)
    campaign.save()
    record_event(actor=actor, verb="marketing.campaign_updated", target=campaign)
    return campaign


@transaction.atomic
def delete_campaign(*, campaign: Campaign, actor: User) -> None:
    """Delete a campaign no contact is attributed to."""
    if campaign.attributions.exists():
        raise ValidationError(
            _("Contacts are attributed to this campaign; it is kept for the report.")
        )
    record_event(
        actor=actor,
        verb="marketing.campaign_deleted",
        target=campaign,
        data={"name": campaign.name},
    )
    campaign.delete()


@transaction.atomic
def attribute_contact(
    *,
    contact: Contact,
    campaign: Campaign | None,
    actor: User | None,
    utm: Mapping[str, str] | None = None,
) -> Attribution | None:
    """Set (or with ``campaign=None`` clear) the campaign that brought the contact."""
    existing = Attribution.objects.select_for_update().filter(contact=contact).first()
    if campaign is None:
        if existing is not None:
            existing.delete()
            record_event(actor=actor, verb="marketing.attribution_cleared", target=contact)
        return None
    attribution = existing or Attribution(contact=contact)
    attribution.campaign = campaign
    attribution.utm = {k: str(v)[:200] for k, v in (utm or {}).items() if k in UTM_KEYS and v}
    attribution.attributed_at = timezone.now()
    attribution.attributed_by = actor if getattr(actor, "pk", None) else None
    attribution.save()
    record_event(
        actor=actor,
        verb="marketing.attributed",
        target=contact,
        data={"campaign": campaign.pk, "utm": attribution.utm},
    )
    return attribution


def attribute_from_utm(*, contact: Contact, utm: Mapping[str, str]) -> Attribution | None:
    """A web form lead: attribute it to the campaign whose code is its utm_campaign.

    A contact already attributed keeps its first campaign (the one that brought it).
    """
    from hamkor.marketing.selectors import find_campaign_by_code

    campaign = find_campaign_by_code(str(utm.get("utm_campaign", "")))
    if campaign is None or Attribution.objects.filter(contact=contact).exists():
        return None
    return attribute_contact(contact=contact, campaign=campaign, actor=None, utm=utm)
