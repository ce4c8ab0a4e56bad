"""Channel consent a contact gave or withdrew.

The history lives in the consent app (``hamkor.consent``); this module keeps the contacts
side: ``record_consent`` for the many callers that import it from here, and the
one-row-per-channel ``ChannelConsent`` that mirrors the current marketing consent.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from hamkor.accounts.models import User
from hamkor.contacts.models import ChannelConsent, Contact

if TYPE_CHECKING:
    from hamkor.consent.models import ConsentRecord


def record_consent(
    *,
    contact: Contact,
    channel: str,
    granted: bool,
    method: str,
    actor: User | None,
    note: str = "",
    purpose: str = "marketing",
    text_shown: str = "",
    source: str = "",
    recorded_at: datetime.datetime | None = None,
) -> ConsentRecord:
    """Record that the contact gave or withdrew consent (marketing unless told), kept as history."""
    # Imported here: the consent app builds on contacts, so contacts cannot import it on load.
    from hamkor.consent.services import record_consent as append_record

    return append_record(
        contact=contact,
        channel=channel,
        granted=granted,
        method=method,
        actor=actor,
        purpose=purpose,
        text_shown=text_shown,
        note=note,
        source=source,
        recorded_at=recorded_at,
    )


def sync_channel_consent(
    *,
    contact: Contact,
    channel: str,
    granted: bool,
    method: str,
    recorded_at: datetime.datetime,
    recorded_by: User | None,
    note: str,
) -> ChannelConsent:
    """Make the contact's ChannelConsent row say what the latest marketing record says.

    Only the consent service calls this, inside its transaction; writing ChannelConsent
    anywhere else would leave it out of step with the history.
    """
    consent = ChannelConsent.objects.filter(contact=contact, channel=channel).first()
    if consent is None:
        consent = ChannelConsent(contact=contact, channel=channel)
    consent.granted = granted
    consent.method = method
    consent.recorded_at = recorded_at
    consent.recorded_by = recorded_by
    consent.note = note[:255]
    consent.full_clean(validate_unique=False, validate_constraints=False)
    consent.save()
    return consent
