"""Reading consent: a contact's history, its current state, and a filter for bulk senders."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from hamkor.accounts.models import User
from hamkor.consent.models import Channel, ConsentRecord, Purpose
from hamkor.contacts.models import ChannelConsent, ConsentChannel, Contact
from hamkor.contacts.selectors import get_contact


@dataclass(frozen=True)
class ConsentStatus:
    """Where one (purpose, channel) stands now; ``granted`` None: nothing on record."""

    purpose: str
    channel: str
    granted: bool | None
    method: str = ""
    recorded_at: datetime.datetime | None = None
    recorded_by: User | None = None

    @property
    def withdrawn(self) -> bool:
        return self.granted is False


def is_mirrored(purpose: str, channel: str) -> bool:
    """Whether contacts.ChannelConsent holds this state (marketing on email, SMS, Telegram)."""
    return purpose == Purpose.MARKETING and channel in ConsentChannel.values


def get_visible_contact(*, viewer: User, pk: int) -> Contact:
    """The contact if the viewer may see it; Contact.DoesNotExist (404) otherwise."""
    return get_contact(viewer=viewer, pk=pk)


def list_consent_records(*, contact: Contact) -> QuerySet[ConsentRecord]:
    """Every record of the contact, newest first, with who entered it."""
    return (
        ConsentRecord.objects.filter(contact=contact)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")
    )


def _latest(contact: Contact, purpose: str, channel: str) -> ConsentRecord | None:
    return (
        ConsentRecord.objects.filter(contact=contact, purpose=purpose, channel=channel)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")
        .first()
    )


def _status(
    row: ChannelConsent | ConsentRecord | None, purpose: str, channel: str
) -> ConsentStatus:
    if row is None:
        return ConsentStatus(purpose=purpose, channel=channel, granted=None)
    return ConsentStatus(
        purpose=purpose,
        channel=channel,
        granted=row.granted,
        method=row.method,
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
    )


def get_consent(*, contact: Contact, purpose: str, channel: str) -> ConsentStatus:
    """The current consent of one contact for one purpose on one channel (one query)."""
    if is_mirrored(purpose, channel):
        row = (
            ChannelConsent.objects.filter(contact=contact, channel=channel)
            .select_related("recorded_by")
            .first()
        )
        return _status(row, purpose, channel)
    return _status(_latest(contact, purpose, channel), purpose, channel)


def get_consent_state(*, contact: Contact) -> dict[tuple[str, str], ConsentStatus]:
    """Every (purpose, channel) of the contact and where it stands, in choice order."""
    mirror = {
        row.channel: row
        for row in ChannelConsent.objects.filter(contact=contact).select_related("recorded_by")
    }
    latest: dict[tuple[str, str], ConsentRecord] = {}
    # The history of one contact is short: one pass, newest first, keeps the first seen.
    for record in list_consent_records(contact=contact):
        latest.setdefault((record.purpose, record.channel), record)
    state: dict[tuple[str, str], ConsentStatus] = {}
    for purpose in Purpose.values:
        for channel in Channel.values:
            if is_mirrored(purpose, channel):
                state[purpose, channel] = _status(mirror.get(channel), purpose, channel)
            else:
                state[purpose, channel] = _status(latest.get((purpose, channel)), purpose, channel)
    return state


def consent_filter(*, purpose: str, channel: str, granted: bool | None = True) -> Exists:
    """A queryset filter on Contact: current consent is ``granted`` (None: anything on record).

    Marketing on email/SMS/Telegram probes the one-row-per-channel ChannelConsent table
    through its unique index, so a bulk send over 100k contacts stays one semi-join. Other
    states compare against the latest record (index ``consent_record_latest``).
    """
    if is_mirrored(purpose, channel):
        rows = ChannelConsent.objects.filter(contact_id=OuterRef("pk"), channel=channel)
        return Exists(rows if granted is None else rows.filter(granted=granted))
    newest = (
        ConsentRecord.objects.filter(
            contact_id=OuterRef("contact_id"), purpose=purpose, channel=channel
        )
        .order_by("-recorded_at", "-id")
        .values("pk")[:1]
    )
    records = ConsentRecord.objects.filter(
        contact_id=OuterRef("pk"), purpose=purpose, channel=channel
    )
    if granted is None:
        return Exists(records)
    return Exists(records.filter(granted=granted, pk=Subquery(newest)))
