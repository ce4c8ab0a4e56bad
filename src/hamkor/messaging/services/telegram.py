"""The Telegram bot's side of a conversation: updates in, matching by shared phone."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hamkor.contacts.models import Contact
from hamkor.core.phones import normalize_phone
from hamkor.messaging.models import Channel, ContactMessagingPrefs, InboundMessage, Kind
from hamkor.messaging.providers import ProviderError
from hamkor.messaging.providers.telegram import ask_for_phone
from hamkor.messaging.services.inbound import (
    _store,
    create_lead,
    find_contact_by_phone,
    note_consent_from_message,
    put_on_timeline,
)
from hamkor.messaging.services.outbox import queue_message

logger = logging.getLogger(__name__)


def contact_for_chat(chat_id: str) -> Contact | None:
    prefs = (
        ContactMessagingPrefs.objects.filter(telegram_chat_id=chat_id, contact__archived_at=None)
        .select_related("contact")
        .first()
    )
    return prefs.contact if prefs else None


def link_chat(contact: Contact, chat_id: str) -> None:
    """Remember that this Telegram chat is this contact (and no other contact)."""
    ContactMessagingPrefs.objects.filter(telegram_chat_id=chat_id).exclude(contact=contact).update(
        telegram_chat_id=""
    )
    prefs, _created = ContactMessagingPrefs.objects.get_or_create(contact=contact)
    prefs.telegram_chat_id = chat_id
    prefs.save(update_fields=["telegram_chat_id"])


def _shared_phone(message: dict[str, Any]) -> str:
    """The phone the sender shared about *themselves* (not someone else's card), or ""."""
    shared = message.get("contact") or {}
    sender = message.get("from") or {}
    if not shared.get("phone_number") or shared.get("user_id") != sender.get("id"):
        return ""
    raw = str(shared["phone_number"])
    try:
        # Telegram sends international numbers, sometimes without the "+".
        return normalize_phone(raw if raw.startswith("+") else f"+{raw}")
    except Exception:
        return ""


@transaction.atomic
def handle_update(update: dict[str, Any]) -> str:
    """Process one webhook update; returns what happened, for the log and the tests."""
    message = update.get("message")
    if not isinstance(message, dict) or not isinstance(message.get("chat"), dict):
        return "ignored"
    chat_id = str(message["chat"].get("id", ""))
    if not chat_id:
        return "ignored"
    sender = message.get("from") or {}
    sent_at = datetime.datetime.fromtimestamp(int(message.get("date") or 0), tz=datetime.UTC)
    received_at = sent_at if message.get("date") else timezone.now()
    text = str(message.get("text") or message.get("caption") or "")
    external_id = f"{chat_id}:{message.get('message_id', update.get('update_id', ''))}"
    contact = contact_for_chat(chat_id)
    phone = _shared_phone(message)
    if phone:
        return _on_phone_shared(chat_id, phone, sender, external_id, received_at, contact)
    if contact is None:
        # Unknown chat: keep the text until they share their phone, and ask for it.
        stored = _store(
            channel=Channel.TELEGRAM,
            external_id=external_id,
            contact=None,
            from_address=chat_id,
            subject="",
            body=text,
            received_at=received_at,
        )
        if stored is not None:
            transaction.on_commit(lambda: _ask_for_phone(chat_id, sender))
        return "asked_for_phone"
    if text:
        _store(
            channel=Channel.TELEGRAM,
            external_id=external_id,
            contact=contact,
            from_address=chat_id,
            subject="",
            body=text,
            received_at=received_at,
        )
    return "logged"


def _on_phone_shared(
    chat_id: str,
    phone: str,
    sender: dict[str, Any],
    external_id: str,
    received_at: datetime.datetime,
    known: Contact | None,
) -> str:
    contact = find_contact_by_phone(phone)
    outcome = "matched"
    if contact is None:
        contact = known or create_lead(
            first_name=str(sender.get("first_name") or ""),
            last_name=str(sender.get("last_name") or ""),
            phone=phone,
        )
        outcome = "lead_created" if known is None else "matched"
    link_chat(contact, chat_id)
    note_consent_from_message(contact, Channel.TELEGRAM)
    _store(
        channel=Channel.TELEGRAM,
        external_id=external_id,
        contact=contact,
        from_address=chat_id,
        subject="",
        body=_("Shared the phone number %(phone)s.") % {"phone": phone},
        received_at=received_at,
    )
    # What they wrote before we knew them now joins their timeline.
    for pending in InboundMessage.objects.filter(
        channel=Channel.TELEGRAM, from_address=chat_id, contact=None
    ).order_by("received_at", "id"):
        put_on_timeline(pending, contact)
    with translation.override(contact.language):
        thanks = _("Thank you! We will answer you here.")
    queue_message(
        channel=Channel.TELEGRAM,
        body=thanks,
        contact=contact,
        kind=Kind.TRANSACTIONAL,
        idempotency_key=f"telegram-welcome:{chat_id}:{contact.pk}",
    )
    return outcome


def _ask_for_phone(chat_id: str, sender: dict[str, Any]) -> None:
    language = str(sender.get("language_code") or "")[:2]
    with translation.override(language if language in ("en", "ru", "uz", "ky") else None):
        text = _("Hello! Please share your phone number so we can find your orders.")
        button = _("Share my phone number")
    try:
        ask_for_phone(chat_id=chat_id, text=text, button=button)
    except ProviderError:
        logger.warning("could not ask a Telegram chat for its phone", extra={"chat": chat_id})
