"""Writes for interactions."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.activities.models import Interaction
from hamkor.contacts.models import Company, Contact
from hamkor.core.audit import record_event

INTERACTION_FIELDS = ("channel", "direction", "subject", "body", "outcome", "occurred_at")


def _check(values: dict[str, Any]) -> None:
    unknown = set(values) - set(INTERACTION_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    occurred_at = values.get("occurred_at")
    if isinstance(occurred_at, datetime.datetime):
        if timezone.is_naive(occurred_at):
            values["occurred_at"] = timezone.make_aware(occurred_at)
        # A few minutes of clock drift is fine; a call logged next week is a typo.
        if values["occurred_at"] > timezone.now() + datetime.timedelta(minutes=10):
            raise ValidationError({"occurred_at": _("An interaction cannot be in the future.")})


@transaction.atomic
def log_interaction(
    *,
    actor: User,
    contact: Contact | None = None,
    company: Company | None = None,
    values: dict[str, Any],
) -> Interaction:
    """Put one visit, call, letter or message on the customer's timeline."""
    if contact is None and company is None:
        raise ValidationError(_("An interaction needs a contact or a company."))
    values = dict(values)
    _check(values)
    if company is None and contact is not None and contact.company_id:
        company = contact.company
    interaction = Interaction(contact=contact, company=company, created_by=actor, **values)
    interaction.full_clean()
    interaction.save()
    if contact is not None:
        # The contact's "updated" reflects the latest touch, for recent lists.
        Contact.objects.filter(pk=contact.pk).update(updated_at=timezone.now())
    record_event(actor=actor, verb="interaction.created", target=interaction)
    return interaction


@transaction.atomic
def update_interaction(
    *, interaction: Interaction, actor: User, values: dict[str, Any]
) -> Interaction:
    """Correct an interaction."""
    values = dict(values)
    _check(values)
    for name, value in values.items():
        setattr(interaction, name, value)
    interaction.full_clean()
    interaction.save()
    record_event(
        actor=actor, verb="interaction.updated", target=interaction, data={"fields": sorted(values)}
    )
    return interaction


@transaction.atomic
def delete_interaction(*, interaction: Interaction, actor: User) -> None:
    """Remove an interaction logged by mistake; the audit trail keeps what it said."""
    record_event(
        actor=actor,
        verb="interaction.deleted",
        target=interaction,
        data={"subject": interaction.subject, "channel": interaction.channel},
    )
    interaction.delete()
