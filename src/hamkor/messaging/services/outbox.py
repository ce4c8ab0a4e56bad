"""The outbox: every outbound message is written first, then sent by a worker.

Sending is safe against double delivery:

* ``queue_message`` is idempotent on ``idempotency_key`` (a unique column).
* A worker *claims* a row with one conditional UPDATE (``status`` queued/waiting -> sending,
  with ``claimed_by``/``claimed_at``); only the worker whose UPDATE changed the row sends it,
  so any number of workers on any number of machines can race for the same message.
* The claim is committed before the provider is called. If the worker dies after the
  provider accepted the message but before "sent" was saved, the row stays ``sending``.
  ``recover_stale_messages`` looks at rows ``sending`` for longer than
  ``HAMKOR_MESSAGING_STALE_MINUTES``: a provider that de-duplicates by our idempotency key
  (the HTTP gateway with ``HAMKOR_SMS_GATEWAY_IDEMPOTENT=1``) gets the message again; for the
  others (SMTP, Eskiz, Telegram) the row becomes ``unknown`` and a person decides, because a
  retry could deliver it twice. The remaining window is therefore: a crash after the
  provider accepted, with a provider that cannot de-duplicate -> no duplicate, but a message
  whose fate a human must check.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
from email.utils import make_msgid

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.consent.models import Purpose
from hamkor.consent.selectors import get_consent
from hamkor.contacts.models import Contact
from hamkor.core.audit import record_event
from hamkor.core.phones import normalize_phone
from hamkor.messaging.models import (
    CLAIMABLE,
    Channel,
    ContactMessagingPrefs,
    Kind,
    OutboundMessage,
    Status,
)
from hamkor.messaging.providers import Outgoing, ProviderError, get_provider
from hamkor.messaging.services.quiet_hours import next_allowed_time_for

logger = logging.getLogger(__name__)

# Reminders and rules run unattended: a message that cannot go out is worth a retry this long.
MAX_BACKOFF_SECONDS = 3600
# The periodic sweep only picks up due messages older than this: fresher ones still have
# their own scheduled task on the way.
SWEEP_GRACE = datetime.timedelta(minutes=2)


def worker_id() -> str:
    """Who claims a row: host, process and thread, so a log line names the sender."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:100]


def contact_address(contact: Contact, channel: str) -> str:
    """Where a contact gets messages on a channel: primary email, mobile phone, Telegram chat."""
    if channel == Channel.EMAIL:
        email = contact.emails.order_by("-is_primary", "id").first()
        return email.email if email else ""
    if channel == Channel.SMS:
        phones = list(contact.phones.order_by("-is_primary", "id"))
        mobile = [phone for phone in phones if phone.kind == "mobile"]
        chosen = (mobile or phones)[:1]
        return chosen[0].number if chosen else ""
    if channel == Channel.TELEGRAM:
        prefs = ContactMessagingPrefs.objects.filter(contact=contact).first()
        return prefs.telegram_chat_id if prefs else ""
    return ""


def purpose_of(kind: str) -> str:
    """Which consent a message of this kind needs: transactional ones are service messages;
    marketing and automated ones (birthday greetings, rule-sent offers) are marketing."""
    return Purpose.SERVICE if kind == Kind.TRANSACTIONAL else Purpose.MARKETING


def consent_problem(contact: Contact, channel: str, purpose: str = Purpose.MARKETING) -> str:
    """Why the contact may not be messaged on this channel for this purpose, or "" if they may.

    Marketing needs a "yes" on record; a service message goes unless service messages on
    the channel were withdrawn.
    """
    consent = get_consent(contact=contact, purpose=purpose, channel=channel)
    label = Channel(channel).label
    if purpose == Purpose.SERVICE:
        if consent.withdrawn and consent.recorded_at is not None:
            return _(
                "The customer withdrew consent to service messages by %(channel)s on %(date)s."
            ) % {
                "channel": label,
                "date": timezone.localdate(consent.recorded_at).isoformat(),
            }
        return ""
    if consent.granted is None:
        return _("No consent to messages by %(channel)s on record.") % {"channel": label}
    if consent.withdrawn and consent.recorded_at is not None:
        return _("The customer withdrew consent to messages by %(channel)s on %(date)s.") % {
            "channel": label,
            "date": timezone.localdate(consent.recorded_at).isoformat(),
        }
    return ""


def _clean_address(channel: str, address: str) -> str:
    address = address.strip()
    if channel == Channel.EMAIL:
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                {"to_address": _("“%(value)s” is not a valid email address.") % {"value": address}}
            ) from None
        return address.lower()
    if channel == Channel.SMS:
        try:
            return normalize_phone(address)
        except ValidationError as error:
            raise ValidationError({"to_address": error.messages}) from None
    if not address.lstrip("-").isdigit():
        raise ValidationError({"to_address": _("A Telegram chat id is a number.")})
    return address


def _check_input(channel: str, kind: str, body: str, key: str) -> None:
    errors: dict[str, str] = {}
    if channel not in Channel.values:
        errors["channel"] = _("Choose email, SMS or Telegram.")
    if kind not in Kind.values:
        errors["kind"] = _("Choose transactional, automated, marketing or staff.")
    if not body.strip():
        errors["body"] = _("Write the message.")
    if not key.strip() or len(key) > 200:
        errors["idempotency_key"] = _("Give a key of 1 to 200 characters.")
    if errors:
        raise ValidationError(errors)


def _email_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(">") or "hamkor.local"


@transaction.atomic
def queue_message(
    *,
    channel: str,
    body: str,
    subject: str = "",
    contact: Contact | None = None,
    to_address: str = "",
    kind: str,
    idempotency_key: str,
    actor: User | None = None,
    not_before: datetime.datetime | None = None,
    html_body: str = "",
) -> OutboundMessage:
    """Write a message to the outbox and send it after commit; same key -> same message.

    Customer messages (``contact`` given, kind not ``staff``) are checked against the
    contact's consent (see ``consent_problem``; the purpose follows the kind, ``purpose_of``)
    and stored ``blocked`` with the reason when it is missing; automated and marketing ones
    wait for the contact's allowed hours (status ``waiting``).
    """
    existing = OutboundMessage.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    _check_input(channel, kind, body, idempotency_key)
    if contact is None and not to_address.strip():
        raise ValidationError({"to_address": _("Give a contact or an address to send to.")})
    now = timezone.now()
    send_after = max(now, not_before) if not_before else now
    address = _clean_address(channel, to_address) if to_address.strip() else ""
    problem = ""
    if contact is not None and not address:
        address = contact_address(contact, channel)
        if not address:
            problem = _("%(name)s has no address for %(channel)s.") % {
                "name": contact.full_name,
                "channel": Channel(channel).label,
            }
    if contact is not None and kind != Kind.STAFF and not problem:
        problem = consent_problem(contact, channel, purpose_of(kind))
    status = Status.QUEUED
    if problem:
        status = Status.BLOCKED
    elif contact is not None and kind in (Kind.AUTOMATED, Kind.MARKETING):
        opening = next_allowed_time_for(contact, send_after)
        if opening > send_after:
            status, send_after = Status.WAITING, opening
    message = OutboundMessage(
        channel=channel,
        kind=kind,
        status=status,
        contact=contact,
        to_address=address,
        subject=subject.strip()[:255],
        body=body,
        html_body=html_body,
        idempotency_key=idempotency_key,
        created_by=actor if getattr(actor, "pk", None) else None,
        send_after=send_after,
        error=problem,
        email_message_id=make_msgid(domain=_email_domain()) if channel == Channel.EMAIL else "",
    )
    message.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        # Another request queued the same key a moment ago: that one is the message.
        return OutboundMessage.objects.get(idempotency_key=idempotency_key)
    record_event(
        actor=actor,
        verb="message.queued",
        target=message,
        data={"channel": channel, "kind": kind, "status": status, "reason": problem},
    )
    if status in CLAIMABLE:
        pk, when = message.pk, message.send_after
        transaction.on_commit(lambda: schedule_delivery(message_id=pk, when=when))
    return message


def schedule_delivery(*, message_id: int, when: datetime.datetime) -> None:
    """Hand the message to the worker now, or at ``when``."""
    from hamkor.messaging import tasks

    if when <= timezone.now():
        tasks.send_message(message_id)
    else:
        tasks.send_message.schedule(args=(message_id,), eta=when)


def claim_message(*, message_id: int, worker: str) -> bool:
    """Atomically take a due message for sending; False when another worker has it."""
    now = timezone.now()
    claimed = OutboundMessage.objects.filter(
        pk=message_id, status__in=CLAIMABLE, send_after__lte=now
    ).update(
        status=Status.SENDING,
        claimed_by=worker,
        claimed_at=now,
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    return claimed == 1


def _finish(message: OutboundMessage, *, worker: str, **values: object) -> bool:
    """Save the outcome of a send, but only while our claim still holds."""
    values.setdefault("updated_at", timezone.now())
    changed = OutboundMessage.objects.filter(
        pk=message.pk, status=Status.SENDING, claimed_by=worker
    ).update(**values)
    return changed == 1


def _outgoing(message: OutboundMessage) -> Outgoing:
    return Outgoing(
        uuid=str(message.uuid),
        idempotency_key=message.idempotency_key,
        to_address=message.to_address,
        body=message.body,
        subject=message.subject,
        html_body=message.html_body,
        email_message_id=message.email_message_id,
        in_reply_to=message.in_reply_to,
        references=message.in_reply_to,
    )


def backoff_seconds(attempt: int) -> int:
    """Exponential: base, 2x base, 4x base ... capped at an hour."""
    base = max(1, int(settings.HAMKOR_MESSAGING_RETRY_SECONDS))
    return int(min(MAX_BACKOFF_SECONDS, base * 2 ** max(0, attempt - 1)))


def deliver_message(*, message_id: int, worker: str | None = None) -> str:
    """Claim the message and send it once; returns the status it ends the call in."""
    worker = worker or worker_id()
    if not claim_message(message_id=message_id, worker=worker):
        current = OutboundMessage.objects.filter(pk=message_id).values_list("status", flat=True)
        return current.first() or ""
    message = OutboundMessage.objects.select_related("contact").get(pk=message_id)
    now = timezone.now()
    contact = message.contact
    if contact is not None and message.kind != Kind.STAFF:
        # Consent may have been withdrawn while the message waited.
        problem = consent_problem(contact, message.channel, purpose_of(message.kind))
        if problem:
            _finish(message, worker=worker, status=Status.BLOCKED, error=problem)
            return Status.BLOCKED
        if message.kind in (Kind.AUTOMATED, Kind.MARKETING):
            opening = next_allowed_time_for(contact, now)
            if opening > now:
                _finish(message, worker=worker, status=Status.WAITING, send_after=opening)
                transaction.on_commit(
                    lambda: schedule_delivery(message_id=message_id, when=opening)
                )
                return Status.WAITING
    try:
        provider = get_provider(message.channel)
        result = provider.send(_outgoing(message))
    except ImproperlyConfigured as error:
        logger.error("messaging channel misconfigured", extra={"channel": message.channel})
        _finish(message, worker=worker, status=Status.FAILED, error=str(error))
        return Status.FAILED
    except ProviderError as error:
        return _failed_attempt(message, worker=worker, error=error)
    _finish(
        message,
        worker=worker,
        status=Status.SENT,
        sent_at=timezone.now(),
        error="",
        provider=provider.name,
        provider_message_id=result.provider_message_id[:200],
    )
    logger.info("message sent", extra={"message_id": message.pk, "channel": message.channel})
    return Status.SENT


def _failed_attempt(message: OutboundMessage, *, worker: str, error: ProviderError) -> str:
    attempts = message.attempts
    logger.warning(
        "message send failed",
        extra={"message_id": message.pk, "attempt": attempts, "error": str(error)},
    )
    if error.retryable and attempts < settings.HAMKOR_MESSAGING_MAX_ATTEMPTS:
        when = timezone.now() + datetime.timedelta(seconds=backoff_seconds(attempts))
        if _finish(message, worker=worker, status=Status.QUEUED, send_after=when, error=str(error)):
            schedule_delivery(message_id=message.pk, when=when)
        return Status.QUEUED
    _finish(message, worker=worker, status=Status.FAILED, error=str(error))
    return Status.FAILED


def _supports_idempotency(channel: str) -> bool:
    try:
        return bool(get_provider(channel).supports_idempotency)
    except (ProviderError, ImproperlyConfigured):
        return False


def recover_stale_messages() -> dict[str, int]:
    """Rows left "sending" by a dead worker: resend where the provider de-duplicates,
    else mark them unknown for a person to check. Returns counts per outcome."""
    cutoff = timezone.now() - datetime.timedelta(minutes=settings.HAMKOR_MESSAGING_STALE_MINUTES)
    counts = {"requeued": 0, "unknown": 0}
    stale = OutboundMessage.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff)
    for message in stale.only("pk", "channel", "claimed_at", "claimed_by"):
        guard = OutboundMessage.objects.filter(
            pk=message.pk, status=Status.SENDING, claimed_at=message.claimed_at
        )
        if _supports_idempotency(message.channel):
            if guard.update(
                status=Status.QUEUED,
                send_after=timezone.now(),
                error=_("Sent again after a worker stopped mid-send."),
            ):
                counts["requeued"] += 1
                schedule_delivery(message_id=message.pk, when=timezone.now())
        elif guard.update(
            status=Status.UNKNOWN,
            error=_(
                "A worker stopped while sending; the provider may have sent it. "
                "Check with the customer before sending again."
            ),
        ):
            counts["unknown"] += 1
    return counts


def send_due_messages(*, limit: int = 1000) -> int:
    """Safety net: hand over due messages whose own scheduled task was lost."""
    cutoff = timezone.now() - SWEEP_GRACE
    ids = list(
        OutboundMessage.objects.filter(status__in=CLAIMABLE, send_after__lte=cutoff)
        .order_by("send_after", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        schedule_delivery(message_id=pk, when=timezone.now())
    return len(ids)


@transaction.atomic
def retry_message(*, message: OutboundMessage, actor: User) -> OutboundMessage:
    """A person decided to send a failed, blocked or unknown message again."""
    if message.status not in (Status.FAILED, Status.UNKNOWN, Status.BLOCKED):
        raise ValidationError(_("Only a failed or unchecked message can be sent again."))
    now = timezone.now()
    OutboundMessage.objects.filter(pk=message.pk, status=message.status).update(
        status=Status.QUEUED, send_after=now, attempts=0, error="", updated_at=now
    )
    record_event(actor=actor, verb="message.retried", target=message)
    pk = message.pk
    transaction.on_commit(lambda: schedule_delivery(message_id=pk, when=now))
    message.refresh_from_db()
    return message


# Provider delivery-report words, lower-cased, and what they mean for us.
_DELIVERED = {"delivrd", "delivered", "delivery_success", "success"}
_UNDELIVERED = {
    "rejectd",
    "rejected",
    "undeliv",
    "undelivered",
    "undeliverable",
    "expired",
    "failed",
    "error",
    "deleted",
}


def record_delivery_report(*, provider_message_id: str, status: str, error: str = "") -> int:
    """A provider told us a message arrived or not; returns how many messages it matched."""
    word = status.strip().lower()
    if not provider_message_id:
        return 0
    matches = OutboundMessage.objects.filter(
        provider_message_id=provider_message_id, status__in=(Status.SENT, Status.DELIVERED)
    )
    now = timezone.now()
    if word in _DELIVERED:
        return matches.update(status=Status.DELIVERED, delivered_at=now, updated_at=now)
    if word in _UNDELIVERED:
        reason = error or _("The provider reported: %(status)s.") % {"status": status}
        return matches.update(status=Status.FAILED, error=reason, updated_at=now)
    return 0
