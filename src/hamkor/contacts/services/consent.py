"""Channel consent a contact gave or withdrew."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from hamkor.accounts.models import User
from hamkor.contacts.models import ChannelConsent, Contact
from hamkor.core.audit import record_event


@transaction.atomic
def record_consent(
    *,
    contact: Contact,
    channel: str,
    granted: bool,
    method: str,
    actor: User | None,
    note: str = "",
) -> ChannelConsent:
    """Record that the contact gave or withdrew consent for one channel, now."""
    consent, _created = ChannelConsent.objects.get_or_create(
        contact=contact,
        channel=channel,
        defaults={
            "granted": granted,
            "method": method,
            "recorded_at": timezone.now(),
            "recorded_by": actor,
        },
    )
    consent.granted = granted
    consent.method = method
    consent.note = note
    consent.recorded_at = timezone.now()
    consent.recorded_by = actor
    consent.full_clean()
    consent.save()
    record_event(
        actor=actor,
        verb="contact.consent",
        target=contact,
        data={"channel": channel, "granted": granted, "method": method},
    )
    return consent
