"""Endpoints providers call: SMS delivery reports and incoming SMS, the Telegram webhook.

They are authenticated by a shared secret (in the URL for SMS, in the
``X-Telegram-Bot-Api-Secret-Token`` header for Telegram), never by a session.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hamkor.messaging.services.inbound import receive_sms
from hamkor.messaging.services.outbox import record_delivery_report
from hamkor.messaging.services.telegram import handle_update

logger = logging.getLogger(__name__)


def _same(given: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def _payload(request: HttpRequest) -> dict[str, Any] | None:
    """JSON body, or form fields (Eskiz posts forms); None when neither parses."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return None
        return data if isinstance(data, dict) else None
    return {key: request.POST.get(key, "") for key in request.POST}


def _error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


@csrf_exempt
@require_POST
def sms_status(request: HttpRequest, secret: str) -> HttpResponse:
    """A delivery report: Eskiz (``request_id``/``id``, ``status``) or the generic gateway."""
    if not settings.HAMKOR_SMS_ENABLED or not _same(secret, settings.HAMKOR_SMS_CALLBACK_SECRET):
        return _error(404, "Not found.")
    data = _payload(request)
    if data is None:
        return _error(400, "Send JSON or form fields.")
    provider_id = str(data.get("request_id") or data.get("id") or data.get("message_id") or "")
    status = str(data.get("status") or "")
    if not provider_id or not status:
        return _error(422, "Give the message id and a status.")
    matched = record_delivery_report(
        provider_message_id=provider_id, status=status, error=str(data.get("error") or "")
    )
    return JsonResponse({"matched": matched})


@csrf_exempt
@require_POST
def sms_incoming(request: HttpRequest, secret: str) -> HttpResponse:
    """An SMS a customer sent us: ``{"from": "+998...", "text": "...", "id": "..."}``."""
    if not settings.HAMKOR_SMS_ENABLED or not _same(secret, settings.HAMKOR_SMS_CALLBACK_SECRET):
        return _error(404, "Not found.")
    data = _payload(request)
    if data is None:
        return _error(400, "Send JSON or form fields.")
    sender = str(data.get("from") or data.get("phone_number") or "")
    text = str(data.get("text") or data.get("message") or "")
    if not sender or not text:
        return _error(422, "Give the sender's number (from) and the text.")
    try:
        inbound = receive_sms(from_phone=sender, text=text, external_id=str(data.get("id") or ""))
    except ValidationError as error:
        return _error(422, " ".join(error.messages))
    return JsonResponse({"stored": inbound is not None})


@csrf_exempt
@require_POST
def telegram_webhook(request: HttpRequest) -> HttpResponse:
    """Telegram posts every update here; the secret header proves it is Telegram."""
    if not settings.HAMKOR_TELEGRAM_ENABLED:
        return _error(404, "Not found.")
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not _same(given, settings.HAMKOR_TELEGRAM_WEBHOOK_SECRET):
        return _error(403, "Wrong secret token.")
    try:
        update = json.loads(request.body or b"{}")
    except ValueError:
        return _error(400, "Send a JSON update.")
    if not isinstance(update, dict):
        return _error(400, "Send a JSON update.")
    outcome = handle_update(update)
    logger.info("telegram update", extra={"outcome": outcome})
    # Anything but 200 makes Telegram send the same update again.
    return JsonResponse({"ok": True, "outcome": outcome})
