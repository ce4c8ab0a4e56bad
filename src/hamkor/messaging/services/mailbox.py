"""Polling the IMAP mailbox: unseen mail becomes incoming email on the timeline."""

from __future__ import annotations

import email
import email.policy
import imaplib
import logging
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags

from hamkor.messaging.providers import require_configured
from hamkor.messaging.services.inbound import receive_email

logger = logging.getLogger(__name__)
BATCH = 100


def _text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    text = str(content) if part.get_content_type() == "text/plain" else strip_tags(str(content))
    return text.strip()


def store_raw_email(raw: bytes) -> bool:
    """Parse one RFC 822 message and hand it to ``receive_email``; True when new."""
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)  # noqa: S101 - the default policy makes one
    name, address = parseaddr(str(parsed.get("From", "")))
    if not address:
        logger.warning("inbound email without a sender skipped")
        return False
    try:
        received = parsedate_to_datetime(str(parsed.get("Date")))
        if timezone.is_naive(received):
            received = timezone.make_aware(received)
    except (TypeError, ValueError):
        received = timezone.now()
    inbound = receive_email(
        message_id=str(parsed.get("Message-ID", "")),
        from_address=address,
        from_name=name,
        subject=str(parsed.get("Subject", "")),
        body=_text_of(parsed),
        in_reply_to=str(parsed.get("In-Reply-To", "")),
        references=str(parsed.get("References", "")),
        received_at=received,
    )
    return inbound is not None


def poll_mailbox() -> int:
    """Fetch unseen mail, store each, then mark it seen; returns how many were new.

    A crash between storing and marking seen is harmless: the next poll finds the mail
    again and its Message-ID makes the second store a no-op.
    """
    if not settings.HAMKOR_IMAP_ENABLED:
        return 0
    require_configured("imap")
    client_class = imaplib.IMAP4_SSL if settings.HAMKOR_IMAP_SSL else imaplib.IMAP4
    client = client_class(settings.HAMKOR_IMAP_HOST, settings.HAMKOR_IMAP_PORT, timeout=30)
    new = 0
    try:
        client.login(settings.HAMKOR_IMAP_USER, settings.HAMKOR_IMAP_PASSWORD)
        status, _data = client.select(settings.HAMKOR_IMAP_MAILBOX)
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot open mailbox {settings.HAMKOR_IMAP_MAILBOX}")
        _status, found = client.search(None, "UNSEEN")
        numbers = found[0].split()[:BATCH] if found and found[0] else []
        for number in numbers:
            _status, parts = client.fetch(number.decode(), "(RFC822)")
            raw = next((p[1] for p in parts if isinstance(p, tuple) and len(p) > 1), None)
            if not isinstance(raw, bytes):
                continue
            if store_raw_email(raw):
                new += 1
            client.store(number.decode(), "+FLAGS", "\\Seen")
    finally:
        try:
            client.logout()
        except (imaplib.IMAP4.error, OSError):
            logger.warning("IMAP logout failed")
    logger.info("mailbox polled", extra={"new": new})
    return new
