"""Outgoing webhooks: endpoints, signed deliveries, retries with exponential backoff.

Every delivery POSTs the same stored JSON body with
``X-Hamkor-Signature: sha256=<hex HMAC-SHA256 of the raw body with the endpoint secret>``,
``X-Hamkor-Timestamp`` (Unix seconds of the attempt), ``X-Hamkor-Event`` and
``X-Hamkor-Delivery`` (the same on every retry, so receivers can drop repeats).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

import requests
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.automation.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from hamkor.automation.services.rules import can_edit_rules
from hamkor.core.audit import record_event

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hamkor-Signature"
TIMESTAMP_HEADER = "X-Hamkor-Timestamp"
EVENT_HEADER = "X-Hamkor-Event"
DELIVERY_HEADER = "X-Hamkor-Delivery"
MAX_ATTEMPTS = 6
# 1, 2, 4, 8, 16 minutes between the six attempts.
RETRY_BASE_SECONDS = 60
TIMEOUT_SECONDS = 10
# A delivery still "sending" after this long was cut off by a crash and is retried.
STALE_AFTER = datetime.timedelta(minutes=10)


def sign(secret: str, body: bytes) -> str:
    """The signature header value for a body: ``sha256=<hex digest>``."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def backoff_seconds(attempt: int) -> int:
    """Seconds to wait after the ``attempt``-th failed try."""
    return int(RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0))


def _require_editor(actor: User) -> None:
    if not can_edit_rules(actor):
        raise PermissionDenied(_("Only managers and administrators can change webhooks."))


def _clean_endpoint(endpoint: WebhookEndpoint, events: Sequence[str]) -> None:
    errors: dict[str, str] = {}
    if not endpoint.name.strip():
        errors["name"] = _("Give the webhook a name.")
    try:
        URLValidator(schemes=["http", "https"])(endpoint.url)
    except ValidationError:
        errors["url"] = _("Enter a full http:// or https:// address.")
    if len(endpoint.secret) < 16:
        errors["secret"] = _("Use a secret of at least 16 characters.")
    cleaned = sorted({e.strip() for e in events if e.strip()})
    bad = [e for e in cleaned if e != "*" and "." not in e]
    if bad:
        errors["events"] = _("Events look like “contact.created”; check %(names)s.") % {
            "names": ", ".join(bad)
        }
    if errors:
        raise ValidationError(errors)
    endpoint.events = cleaned


@transaction.atomic
def save_endpoint(
    *,
    actor: User,
    values: Mapping[str, Any],
    events: Sequence[str],
    endpoint: WebhookEndpoint | None = None,
) -> WebhookEndpoint:
    """Create or change a webhook; a new one without a secret gets a random one."""
    _require_editor(actor)
    created = endpoint is None
    endpoint = endpoint or WebhookEndpoint()
    for name in ("name", "url", "secret", "is_active"):
        if name in values:
            setattr(endpoint, name, values[name])
    endpoint.name = (endpoint.name or "").strip()
    endpoint.url = (endpoint.url or "").strip()
    if not endpoint.secret:
        endpoint.secret = secrets.token_hex(24)
    _clean_endpoint(endpoint, events)
    endpoint.full_clean()
    endpoint.save()
    record_event(
        actor=actor,
        verb="webhook.created" if created else "webhook.updated",
        target=endpoint,
        data={"url": endpoint.url, "events": endpoint.events},
    )
    return endpoint


@transaction.atomic
def delete_endpoint(*, endpoint: WebhookEndpoint, actor: User) -> None:
    """Remove a webhook and its delivery log."""
    _require_editor(actor)
    record_event(actor=actor, verb="webhook.deleted", target=endpoint, data={"url": endpoint.url})
    endpoint.delete()


def build_body(*, event: str, target: models.Model, data: Mapping[str, Any], key: str) -> str:
    """The JSON a receiver gets; stored once so every retry sends the same bytes."""
    try:
        label = str(target)
    except Exception:
        label = ""
    payload = {
        "id": key,
        "event": event,
        "created_at": timezone.now().isoformat(),
        "target": {"type": target._meta.label_lower, "id": str(target.pk), "label": label},
        "data": dict(data),
    }
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)


@transaction.atomic
def queue_delivery(
    *,
    endpoint: WebhookEndpoint,
    key: str,
    event: str,
    target: models.Model,
    data: Mapping[str, Any],
) -> WebhookDelivery:
    """Store a delivery and send it after commit; the same (endpoint, key) is sent once."""
    existing = WebhookDelivery.objects.filter(endpoint=endpoint, key=key).first()
    if existing is not None:
        return existing
    delivery = WebhookDelivery(
        endpoint=endpoint,
        key=key[:160],
        event=event[:64],
        body=build_body(event=event, target=target, data=data, key=key),
    )
    try:
        with transaction.atomic():
            delivery.save()
    except IntegrityError:
        return WebhookDelivery.objects.get(endpoint=endpoint, key=key)
    pk = delivery.pk
    transaction.on_commit(lambda: _schedule(pk, None))
    return delivery


def _schedule(delivery_id: int, when: datetime.datetime | None) -> None:
    from hamkor.automation import tasks

    if when is None or when <= timezone.now():
        tasks.deliver_webhook(delivery_id)
    else:
        tasks.deliver_webhook.schedule(args=(delivery_id,), eta=when)


def _claim(delivery_id: int) -> WebhookDelivery | None:
    """Mark the delivery as being sent by us; None if it is done or someone else has it."""
    now = timezone.now()
    due = due_filter(now)
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery_id)
        .filter(due)
        .update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now)
    )
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)


def due_filter(now: datetime.datetime) -> models.Q:
    """Deliveries that may be sent now: new ones, and retries whose time has come."""
    return models.Q(status=DeliveryStatus.PENDING) | models.Q(
        status=DeliveryStatus.RETRYING, next_retry_at__lte=now
    )


def deliver(*, delivery_id: int) -> str:
    """Try one delivery once; on failure schedule the next try or give up. Returns the status."""
    delivery = _claim(delivery_id)
    if delivery is None:
        current = WebhookDelivery.objects.filter(pk=delivery_id).values_list("status", flat=True)
        return current.first() or ""
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        return _finish(delivery, status=DeliveryStatus.FAILED, error=_("The webhook is off."))
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Hamkor-Webhooks/1",
        SIGNATURE_HEADER: sign(endpoint.secret, body),
        TIMESTAMP_HEADER: str(int(timezone.now().timestamp())),
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: delivery.key,
    }
    try:
        response = requests.post(
            endpoint.url, data=body, headers=headers, timeout=TIMEOUT_SECONDS, allow_redirects=False
        )
    except requests.RequestException as error:
        return _failed(delivery, status_code=None, excerpt="", error=str(error))
    excerpt = response.text[:500]
    if 200 <= response.status_code < 300:
        return _finish(
            delivery,
            status=DeliveryStatus.DELIVERED,
            status_code=response.status_code,
            response_excerpt=excerpt,
            error="",
            delivered_at=timezone.now(),
            next_retry_at=None,
        )
    return _failed(
        delivery,
        status_code=response.status_code,
        excerpt=excerpt,
        error=_("The receiver answered %(code)d.") % {"code": response.status_code},
    )


def _finish(delivery: WebhookDelivery, **values: Any) -> str:
    WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(**values)
    return str(values["status"])


def _failed(delivery: WebhookDelivery, *, status_code: int | None, excerpt: str, error: str) -> str:
    if delivery.attempts >= MAX_ATTEMPTS:
        logger.warning(
            "webhook delivery gave up",
            extra={"delivery": delivery.pk, "endpoint": delivery.endpoint_id},
        )
        return _finish(
            delivery,
            status=DeliveryStatus.FAILED,
            status_code=status_code,
            response_excerpt=excerpt,
            error=error[:500],
            next_retry_at=None,
        )
    when = timezone.now() + datetime.timedelta(seconds=backoff_seconds(delivery.attempts))
    status = _finish(
        delivery,
        status=DeliveryStatus.RETRYING,
        status_code=status_code,
        response_excerpt=excerpt,
        error=error[:500],
        next_retry_at=when,
    )
    _schedule(delivery.pk, when)
    return status


def retry_due_deliveries(*, limit: int = 500) -> int:
    """Send retries that are due (their scheduled job may be lost) and revive stale sends."""
    now = timezone.now()
    WebhookDelivery.objects.filter(
        status=DeliveryStatus.SENDING, last_attempt_at__lt=now - STALE_AFTER
    ).update(status=DeliveryStatus.RETRYING, next_retry_at=now)
    due = list(
        WebhookDelivery.objects.filter(due_filter(now))
        .filter(created_at__lt=now - datetime.timedelta(seconds=30))
        .order_by("next_retry_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        deliver(delivery_id=pk)
    return len(due)


@transaction.atomic
def redeliver(*, delivery: WebhookDelivery, actor: User) -> WebhookDelivery:
    """Send a failed delivery again now (the same body, a fresh round of attempts)."""
    _require_editor(actor)
    if delivery.status != DeliveryStatus.FAILED:
        raise ValidationError(_("Only a failed delivery can be sent again."))
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, attempts=0, next_retry_at=None
    )
    record_event(actor=actor, verb="webhook.redelivered", target=delivery)
    pk = delivery.pk
    transaction.on_commit(lambda: _schedule(pk, None))
    delivery.refresh_from_db()
    return delivery


def queue_event_deliveries(*, event_id: int) -> int:
    """Queue one delivery per active webhook subscribed to a recorded event's verb."""
    from hamkor.automation.services.triggers import load_target
    from hamkor.core.models import AuditEvent

    event = AuditEvent.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(is_active=True).order_by("pk")
        if "*" in e.events or event.verb in e.events
    ]
    if not endpoints:
        return 0
    target = load_target(event)
    if target is None:
        return 0
    for endpoint in endpoints:
        queue_delivery(
            endpoint=endpoint,
            key=f"event:{event.pk}",
            event=event.verb,
            target=target,
            data={"event_id": event.pk, **(event.data or {})},
        )
    return len(endpoints)
