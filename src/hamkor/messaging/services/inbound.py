"""Messages customers send us: matched to a contact (or a new lead), put on the timeline.

Every inbound message is stored once per (channel, external id), so a redelivered webhook
or a mailbox polled twice adds nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.activities.services import log_interaction
from hamkor.consent.models import Purpose
from hamkor.consent.selectors import get_consent
from hamkor.contacts.models import Contact, ContactEmail, ContactPhone
from hamkor.contacts.services import (
    ContactInput,
    EmailInput,
    PhoneInput,
    create_contact,
    record_consent,
)
from hamkor.core.audit import record_event
from hamkor.core.phones import format_phone, normalize_phone
from hamkor.messaging.models import Channel, InboundMessage, OutboundMessage

logger = logging.getLogger(__name__)

# Called with (contact, text) for every new inbound SMS; apps register in AppConfig.ready()
# (marketing: a "STOP" withdraws SMS consent).
SMS_LISTENERS: list[Callable[[Contact, str], None]] = []


def _system() -> Any:
    """The actor for work nobody in particular did (a customer wrote in): no user.

    Typed Any because the activities and contacts services declare ``actor: User`` while
    storing it in nullable columns; they accept None.
    """
    return None


def find_contact_by_email(address: str) -> Contact | None:
    row = (
        ContactEmail.objects.filter(email__iexact=address.strip(), contact__archived_at=None)
        .select_related("contact")
        .order_by("-is_primary", "contact_id")
        .first()
    )
    return row.contact if row else None


def find_contact_by_phone(e164: str) -> Contact | None:
    row = (
        ContactPhone.objects.filter(number=e164, contact__archived_at=None)
        .select_related("contact")
        .order_by("-is_primary", "contact_id")
        .first()
    )
    return row.contact if row else None


def create_lead(
    *, first_name: str, last_name: str = "", email: str = "", phone: str = ""
) -> Contact:
    """A new lead from someone who wrote to us; no owner until a manager assigns one."""
    data = ContactInput(
        values={
            "first_name": (first_name.strip() or phone or email or _("New lead"))[:100],
            "last_name": last_name.strip()[:100],
            "stage": "lead",
            "owner": None,
            "team": None,
        },
        emails=[EmailInput(email=email)] if email else None,
        phones=[PhoneInput(number=phone)] if phone else None,
    )
    contact = create_contact(data=data, actor=_system())
    record_event(actor=None, verb="messaging.lead_created", target=contact)
    return contact


def note_consent_from_message(contact: Contact, channel: str) -> None:
    """Writing to us first is consent to service messages (an answer) on that channel.

    Not to marketing, and never over an earlier decision: only recorded when the contact has
    no service consent on record for the channel.
    """
    if get_consent(contact=contact, purpose=Purpose.SERVICE, channel=channel).granted is None:
        record_consent(
            contact=contact,
            channel=channel,
            granted=True,
            method="message",
            actor=None,
            purpose=Purpose.SERVICE,
            note=_("The customer wrote to us first."),
        )


def _store(
    *,
    channel: str,
    external_id: str,
    contact: Contact | None,
    from_address: str,
    subject: str,
    body: str,
    received_at: datetime.datetime,
    in_reply_to: str = "",
    reply_to_outbound: OutboundMessage | None = None,
) -> InboundMessage | None:
    """Store the message once; None when it was already stored."""
    inbound = InboundMessage(
        channel=channel,
        external_id=external_id[:255],
        contact=contact,
        from_address=from_address[:254],
        subject=subject[:255],
        body=body,
        in_reply_to=in_reply_to[:255],
        reply_to_outbound=reply_to_outbound,
        received_at=received_at,
    )
    try:
        with transaction.atomic():
            inbound.save()
    except IntegrityError:
        return None
    if contact is not None:
        put_on_timeline(inbound, contact)
    return inbound


def put_on_timeline(inbound: InboundMessage, contact: Contact) -> None:
    """Log the message as an incoming interaction on the contact's timeline."""
    received = min(inbound.received_at, timezone.now())
    interaction = log_interaction(
        actor=_system(),
        contact=contact,
        values={
            "channel": inbound.channel,
            "direction": "in",
            "subject": inbound.subject[:200],
            "body": inbound.body,
            "occurred_at": received,
        },
    )
    InboundMessage.objects.filter(pk=inbound.pk).update(
        contact=contact, interaction_id=interaction.pk
    )


def _email_external_id(message_id: str, from_address: str, subject: str, body: str) -> str:
    if message_id.strip():
        return message_id.strip()
    digest = hashlib.sha256(f"{from_address}\n{subject}\n{body}".encode()).hexdigest()
    return f"sha256:{digest}"


@transaction.atomic
def receive_email(
    *,
    message_id: str,
    from_address: str,
    from_name: str,
    subject: str,
    body: str,
    in_reply_to: str = "",
    references: str = "",
    received_at: datetime.datetime | None = None,
) -> InboundMessage | None:
    """An email arrived: thread it, match the sender (or create a lead), log it."""
    address = from_address.strip().lower()
    thread_ids = [in_reply_to.strip(), *references.split()]
    original = (
        OutboundMessage.objects.filter(email_message_id__in=[i for i in thread_ids if i])
        .select_related("contact")
        .order_by("-created_at")
        .first()
    )
    contact = original.contact if original and original.contact else None
    contact = contact or find_contact_by_email(address)
    if contact is None:
        first, _sep, last = from_name.strip().partition(" ")
        try:
            contact = create_lead(
                first_name=first or address.partition("@")[0], last_name=last, email=address
            )
        except ValidationError:
            logger.warning("inbound email sender not stored", extra={"sender": address})
            return None
    inbound = _store(
        channel=Channel.EMAIL,
        external_id=_email_external_id(message_id, address, subject, body),
        contact=contact,
        from_address=address,
        subject=subject,
        body=body,
        in_reply_to=in_reply_to,
        reply_to_outbound=original,
        received_at=received_at or timezone.now(),
    )
    if inbound is not None:
        note_consent_from_message(contact, Channel.EMAIL)
    return inbound


@transaction.atomic
def receive_sms(
    *, from_phone: str, text: str, external_id: str, received_at: datetime.datetime | None = None
) -> InboundMessage | None:
    """An SMS arrived through the gateway callback: match by phone or create a lead."""
    phone = normalize_phone(from_phone)
    contact = find_contact_by_phone(phone) or create_lead(
        first_name=format_phone(phone), phone=phone
    )
    inbound = _store(
        channel=Channel.SMS,
        external_id=external_id or hashlib.sha256(f"{phone}\n{text}".encode()).hexdigest(),
        contact=contact,
        from_address=phone,
        subject="",
        body=text,
        received_at=received_at or timezone.now(),
    )
    if inbound is not None:
        note_consent_from_message(contact, Channel.SMS)
        for listener in SMS_LISTENERS:
            listener(contact, text)
    return inbound
