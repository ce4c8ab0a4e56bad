"""Telegram Bot API: sendMessage, and the keyboard that asks a customer for their phone."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from hamkor.messaging.providers.base import Outgoing, ProviderError, SendResult
from hamkor.messaging.providers.http import request_json


def call(method: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Call one Bot API method; return its ``result``."""
    base = str(settings.HAMKOR_TELEGRAM_API_URL).rstrip("/")
    status, body = request_json(
        f"{base}/bot{settings.HAMKOR_TELEGRAM_BOT_TOKEN}/{method}", json_body=payload
    )
    if status == 200 and body.get("ok"):
        result = body.get("result")
        return result if isinstance(result, dict) else {"value": result}
    code = int(body.get("error_code") or status)
    raise ProviderError(
        f"Telegram answered {code}: {body.get('description') or body}",
        retryable=code == 429 or code >= 500,
    )


class TelegramProvider:
    name = "telegram"
    supports_idempotency = False

    def send(self, message: Outgoing) -> SendResult:
        result = call("sendMessage", {"chat_id": message.to_address, "text": message.body})
        return SendResult(provider_message_id=str(result.get("message_id") or ""))


def ask_for_phone(*, chat_id: str, text: str, button: str) -> None:
    """Reply with a one-tap "share my phone number" button."""
    call(
        "sendMessage",
        {
            "chat_id": chat_id,
            "text": text,
            "reply_markup": {
                "keyboard": [[{"text": button, "request_contact": True}]],
                "one_time_keyboard": True,
                "resize_keyboard": True,
            },
        },
    )
