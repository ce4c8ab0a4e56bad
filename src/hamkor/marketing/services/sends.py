"""Bulk messages to a segment through the outbox, and unsubscribing from them.

Each member gets one outbox message with the key ``marketing:<send uuid>:<contact id>``; the
outbox is idempotent on that key, so a job that runs twice (or resumes after a crash) never
queues a second copy. Personalisation goes through the messaging sandbox: the staff-written
text is the template and the customer's name is only ever a value in its context, so a name
like ``{{ secret }}`` is printed, not executed.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.consent.models import Purpose
from hamkor.consent.selectors import consent_filter
from hamkor.contacts.models import (
    ChannelConsent,
    ConsentMethod,
    Contact,
    ContactEmail,
    ContactPhone,
)
from hamkor.contacts.services import record_consent
from hamkor.core.audit import record_event
from hamkor.marketing.models import BulkSend, Segment, SendChannel, SendStatus
from hamkor.messaging.models import ContactMessagingPrefs, Kind
from hamkor.messaging.services import queue_message
from hamkor.messaging.services.templating import message_context, render_text

logger = logging.getLogger(__name__)

SEND_BATCH = 200
# Above this many recipients the send is queued for the worker, not run in the request.
INLINE_LIMIT = 200
UNSUBSCRIBE_SALT = "hamkor.marketing.unsubscribe"
# "STOP" as customers type it: Latin or Cyrillic, any case, with punctuation around.
STOP_WORDS = frozenset({"stop", "стоп", "unsubscribe", "отписаться"})


# --- recipients -----------------------------------------------------------------------------


def _consent(channel: str, granted: bool | None) -> Exists:
    # Bulk sends are marketing: the contact's current marketing consent on the channel.
    return consent_filter(purpose=Purpose.MARKETING, channel=channel, granted=granted)


def _has_address(channel: str) -> Exists:
    if channel == SendChannel.EMAIL:
        return Exists(ContactEmail.objects.filter(contact_id=OuterRef("pk")))
    if channel == SendChannel.SMS:
        return Exists(ContactPhone.objects.filter(contact_id=OuterRef("pk")))
    return Exists(
        ContactMessagingPrefs.objects.filter(contact_id=OuterRef("pk")).exclude(telegram_chat_id="")
    )


def reachable(contacts: QuerySet[Contact], channel: str) -> QuerySet[Contact]:
    """The contacts that agreed to the channel and have an address on it."""
    return contacts.filter(_consent(channel, True), _has_address(channel))


@dataclass(frozen=True)
class SendPreview:
    members: int
    recipients: int
    unsubscribed: int
    no_consent: int
    no_address: int


def preview_send(*, segment: Segment, channel: str) -> SendPreview:
    """How many members would get the message and why the others would not."""
    from hamkor.marketing.selectors import segment_contacts

    if channel not in SendChannel.values:
        raise ValidationError({"channel": _("Choose email, SMS or Telegram.")})
    members = segment_contacts(segment=segment).order_by()
    granted = members.filter(_consent(channel, True))
    return SendPreview(
        members=members.count(),
        recipients=reachable(members, channel).count(),
        unsubscribed=members.filter(_consent(channel, False)).count(),
        no_consent=members.filter(~_consent(channel, None)).count(),
        no_address=granted.filter(~_has_address(channel)).count(),
    )


# --- sending --------------------------------------------------------------------------------


def _check(channel: str, subject: str, body: str) -> None:
    errors: dict[str, str] = {}
    if channel not in SendChannel.values:
        errors["channel"] = _("Choose email, SMS or Telegram.")
    if not body.strip():
        errors["body"] = _("Write the message.")
    if channel == SendChannel.EMAIL and not subject.strip():
        errors["subject"] = _("An email needs a subject.")
    if errors:
        raise ValidationError(errors)
    sample: dict[str, Any] = {"contact": {}, "owner": {}, "sender": {}}
    for name, text in (("subject", subject), ("body", body)):
        try:
            render_text(text, sample, autoescape=False)
        except ValidationError as error:
            raise ValidationError({name: error.messages}) from None


@transaction.atomic
def create_send(
    *,
    segment: Segment,
    channel: str,
    body: str,
    actor: User,
    subject: str = "",
    base_url: str = "",
) -> BulkSend:
    """Record a bulk message to the segment and start queueing it (in the background when big)."""
    _check(channel, subject, body)
    from hamkor.marketing.selectors import segment_contacts

    total = reachable(segment_contacts(segment=segment), channel).order_by().count()
    send = BulkSend.objects.create(
        segment=segment,
        channel=channel,
        subject=subject.strip(),
        body=body,
        total=total,
        created_by=actor,
        base_url=(base_url or str(getattr(settings, "HAMKOR_PUBLIC_URL", "") or "")).rstrip("/"),
    )
    record_event(
        actor=actor,
        verb="marketing.send_created",
        target=send,
        data={"segment": segment.pk, "channel": channel, "recipients": total},
    )
    pk = send.pk
    if total <= INLINE_LIMIT:
        transaction.on_commit(lambda: run_send(send_id=pk))
    else:
        from hamkor.marketing import tasks

        transaction.on_commit(lambda: tasks.run_send_task(pk))
    return send


def unsubscribe_token(*, contact: Contact, channel: str = SendChannel.EMAIL) -> str:
    """A signed, URL-safe token naming the contact and channel to unsubscribe."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"c": contact.pk, "ch": channel})


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(contact id, channel) from a token; signing.BadSignature when tampered with."""
    data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    if not isinstance(data, dict) or not isinstance(data.get("c"), int):
        raise signing.BadSignature("unexpected token content")
    channel = str(data.get("ch", ""))
    if channel not in SendChannel.values:
        raise signing.BadSignature("unexpected channel")
    return data["c"], channel


def unsubscribe_url(*, base_url: str, contact: Contact) -> str:
    """The absolute one-click unsubscribe link for a contact's marketing email."""
    path = reverse("marketing:unsubscribe", args=[unsubscribe_token(contact=contact)])
    return f"{base_url}{path}"


def _render(send: BulkSend, contact: Contact) -> tuple[str, str]:
    context = message_context(contact=contact, sender=send.created_by)
    subject = render_text(send.subject, context, autoescape=False).strip()
    body = render_text(send.body, context, autoescape=False).strip()
    if send.channel == SendChannel.EMAIL:
        link = unsubscribe_url(base_url=send.base_url, contact=contact)
        with translation.override(contact.language):
            footer = _("To stop receiving these emails, open %(link)s") % {"link": link}
        body = f"{body}\n\n--\n{footer}"
    return subject, body


def _queue_one(send: BulkSend, contact: Contact) -> None:
    subject, body = _render(send, contact)
    queue_message(
        channel=send.channel,
        body=body,
        subject=subject,
        contact=contact,
        kind=Kind.MARKETING,
        idempotency_key=f"{send.key_prefix}{contact.pk}",
        actor=send.created_by,
    )


def run_send_batch(*, send_id: int, batch: int = SEND_BATCH) -> bool:
    """Queue the next ``batch`` recipients of a send; True when more remain.

    Safe to run twice or concurrently: the send row is locked for the batch, and the outbox
    keys make a repeated contact a no-op.
    """
    from hamkor.marketing.selectors import segment_contacts

    with transaction.atomic():
        send = (
            BulkSend.objects.select_for_update(of=("self",))
            .select_related("segment", "created_by")
            .filter(pk=send_id)
            .first()
        )
        if send is None or send.status == SendStatus.DONE:
            return False
        contacts = list(
            reachable(segment_contacts(segment=send.segment), send.channel)
            .filter(pk__gt=send.last_contact_id)
            .select_related("owner", "company")
            .order_by("pk")[:batch]
        )
        for contact in contacts:
            _queue_one(send, contact)
        send.processed += len(contacts)
        if contacts:
            send.last_contact_id = contacts[-1].pk
        more = len(contacts) == batch
        send.status = SendStatus.SENDING if more else SendStatus.DONE
        if not more:
            send.finished_at = timezone.now()
        send.save(
            update_fields=["processed", "last_contact_id", "status", "finished_at", "updated_at"]
        )
    return more


def run_send(*, send_id: int) -> None:
    """Queue every remaining recipient of a send, batch after batch."""
    while run_send_batch(send_id=send_id):
        pass


# --- opting out -----------------------------------------------------------------------------


@transaction.atomic
def unsubscribe(*, contact: Contact, channel: str, how: str) -> bool:
    """Withdraw the contact's consent on a channel; False when it was already withdrawn."""
    current = ChannelConsent.objects.filter(contact=contact, channel=channel).first()
    if current is not None and not current.granted:
        return False
    notes = {
        "link": _("Unsubscribed with the link in a marketing email."),
        "sms": _("Replied STOP to an SMS."),
    }
    record_consent(
        contact=contact,
        channel=channel,
        granted=False,
        method=ConsentMethod.MESSAGE,
        actor=None,
        note=notes.get(how, ""),
    )
    return True


def is_stop_request(text: str) -> bool:
    """Whether an SMS says STOP (СТОП, stop, "Stop!" ...), and nothing else."""
    words = re.findall(r"\w+", text.lower())
    return len(words) == 1 and words[0] in STOP_WORDS


def handle_inbound_sms(contact: Contact, text: str) -> None:
    """An SMS arrived from a contact: STOP withdraws their SMS consent."""
    if is_stop_request(text):
        unsubscribe(contact=contact, channel=SendChannel.SMS, how="sms")


def list_unsubscribe_headers(outgoing: Any) -> dict[str, str]:
    """RFC 8058 headers for the emails of a bulk send (others get none)."""
    key = str(getattr(outgoing, "idempotency_key", ""))
    parts = key.split(":")
    if len(parts) != 3 or parts[0] != "marketing" or not parts[2].isdigit():
        return {}
    send = BulkSend.objects.filter(uuid=parts[1]).first() if _is_uuid(parts[1]) else None
    contact = Contact.objects.filter(pk=int(parts[2])).first()
    if send is None or contact is None or not send.base_url:
        return {}
    url = unsubscribe_url(base_url=send.base_url, contact=contact)
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _is_uuid(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}", text))
