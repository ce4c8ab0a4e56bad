"""Recording consent: the one place every consent write goes through."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.consent.models import ConsentRecord, Purpose
from hamkor.consent.selectors import is_mirrored
from hamkor.contacts.models import Contact
from hamkor.contacts.services.consent import sync_channel_consent
from hamkor.core.audit import record_event
from hamkor.core.locking import lock_rows

# Clocks of the browser, the phone and the server disagree by a little.
CLOCK_SKEW = datetime.timedelta(minutes=5)


@transaction.atomic
def record_consent(
    *,
    contact: Contact,
    channel: str,
    granted: bool,
    method: str,
    actor: User | None,
    purpose: str = Purpose.MARKETING,
    text_shown: str = "",
    note: str = "",
    source: str = "",
    recorded_at: datetime.datetime | None = None,
) -> ConsentRecord:
    """Append a consent record and bring the current state in line with the latest record.

    ``recorded_at`` is when the customer said it (default now); an older date adds history
    without overriding a later decision.
    """
    now = timezone.now()
    when = recorded_at or now
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    if when > now + CLOCK_SKEW:
        raise ValidationError({"recorded_at": _("Consent cannot be recorded in the future.")})
    # One writer per contact at a time, so "the latest record" is well defined.
    lock_rows(Contact, contact.pk)
    record = ConsentRecord(
        contact=contact,
        purpose=purpose,
        channel=channel,
        granted=granted,
        method=method,
        text_shown=text_shown.strip(),
        note=note.strip(),
        source=source.strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
        recorded_at=when,
    )
    record.full_clean()
    record.save()
    if is_mirrored(purpose, channel):
        latest = (
            ConsentRecord.objects.filter(contact=contact, purpose=purpose, channel=channel)
            .order_by("-recorded_at", "-id")
            .first()
        )
        if latest is not None:
            sync_channel_consent(
                contact=contact,
                channel=channel,
                granted=latest.granted,
                method=latest.method,
                recorded_at=latest.recorded_at,
                recorded_by=latest.recorded_by,
                note=latest.note,
            )
    record_event(
        actor=actor,
        verb="contact.consent",
        target=contact,
        data={
            "record": record.pk,
            "purpose": purpose,
            "channel": channel,
            "granted": granted,
            "method": method,
        },
    )
    return record


def record_staff_consent(
    *,
    contact: Contact,
    actor: User,
    purpose: str,
    channel: str,
    granted: bool,
    method: str,
    text_shown: str,
    note: str = "",
    recorded_at: datetime.datetime | None = None,
) -> ConsentRecord:
    """A staff member enters consent: a "yes" must say what the customer agreed to."""
    if granted and not text_shown.strip():
        raise ValidationError(
            {"text_shown": _("Write the wording the customer agreed to, as they saw or heard it.")}
        )
    return record_consent(
        contact=contact,
        purpose=purpose,
        channel=channel,
        granted=granted,
        method=method,
        actor=actor,
        text_shown=text_shown,
        note=note,
        recorded_at=recorded_at,
    )
