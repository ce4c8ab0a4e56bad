"""SMS through Eskiz (notify.eskiz.uz) or a generic HTTP/JSON gateway.

Eskiz (documented API, https://documenter.getpostman.com/view/663428/RzfmES4z):
``POST /api/auth/login`` (form: email, password) -> ``{"data": {"token": ...}}``;
``POST /api/message/sms/send`` (form: mobile_phone without "+", message, from, callback_url,
bearer token) -> ``{"id": ..., "status": "waiting"}``. Delivery reports are POSTed to
callback_url with ``request_id`` (the id above) and ``status`` (DELIVRD, REJECTD, ...).

Generic gateway: ``POST HAMKOR_SMS_GATEWAY_URL`` with ``Authorization: Bearer <token>``,
``Idempotency-Key: <our key>`` and JSON ``{"id", "to", "text", "sender", "callback_url"}``;
answers ``{"id": ...}``. Reports: ``{"id", "status": "delivered"|"failed", "error"}``.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.urls import reverse

from hamkor.messaging.providers.base import Outgoing, ProviderError, SendResult
from hamkor.messaging.providers.http import raise_for_status, request_json

_token_lock = threading.Lock()
_eskiz_token: dict[str, str] = {}


def callback_url(kind: str) -> str:
    """Public URL a provider calls back on, or "" when HAMKOR_PUBLIC_URL is not set."""
    if not settings.HAMKOR_PUBLIC_URL or not settings.HAMKOR_SMS_CALLBACK_SECRET:
        return ""
    path = reverse(f"messaging:sms_{kind}", args=[settings.HAMKOR_SMS_CALLBACK_SECRET])
    return settings.HAMKOR_PUBLIC_URL.rstrip("/") + path


class EskizProvider:
    name = "eskiz"
    supports_idempotency = False

    def _base(self) -> str:
        return str(settings.HAMKOR_ESKIZ_URL).rstrip("/")

    def _login(self) -> str:
        status, body = request_json(
            f"{self._base()}/api/auth/login",
            form={"email": settings.HAMKOR_ESKIZ_EMAIL, "password": settings.HAMKOR_ESKIZ_PASSWORD},
        )
        raise_for_status(status, body, what="Eskiz login")
        token = str((body.get("data") or {}).get("token") or "")
        if not token:
            raise ProviderError("Eskiz login answered without a token.", retryable=False)
        return token

    def _token(self, *, fresh: bool = False) -> str:
        with _token_lock:
            if fresh or "token" not in _eskiz_token:
                _eskiz_token["token"] = self._login()
            return _eskiz_token["token"]

    def send(self, message: Outgoing) -> SendResult:
        form = {
            "mobile_phone": message.to_address.lstrip("+"),
            "message": message.body,
            "from": settings.HAMKOR_ESKIZ_FROM,
            "callback_url": callback_url("status"),
        }
        url = f"{self._base()}/api/message/sms/send"
        status, body = request_json(
            url, form=form, headers={"Authorization": f"Bearer {self._token()}"}
        )
        if status == 401:
            # Tokens expire after a month: log in again once.
            status, body = request_json(
                url, form=form, headers={"Authorization": f"Bearer {self._token(fresh=True)}"}
            )
        raise_for_status(status, body, what="Eskiz")
        return SendResult(provider_message_id=str(body.get("id") or ""))


class HttpGatewayProvider:
    name = "http"

    @property
    def supports_idempotency(self) -> bool:
        return bool(settings.HAMKOR_SMS_GATEWAY_IDEMPOTENT)

    def send(self, message: Outgoing) -> SendResult:
        headers = {"Idempotency-Key": message.idempotency_key}
        if settings.HAMKOR_SMS_GATEWAY_TOKEN:
            headers["Authorization"] = f"Bearer {settings.HAMKOR_SMS_GATEWAY_TOKEN}"
        status, body = request_json(
            settings.HAMKOR_SMS_GATEWAY_URL,
            json_body={
                "id": message.uuid,
                "to": message.to_address,
                "text": message.body,
                "sender": settings.HAMKOR_SMS_GATEWAY_SENDER,
                "callback_url": callback_url("status"),
            },
            headers=headers,
        )
        raise_for_status(status, body, what="SMS gateway")
        return SendResult(provider_message_id=str(body.get("id") or message.uuid))


def reset_eskiz_token() -> None:
    """Forget the cached Eskiz token (tests, or after changing the account)."""
    with _token_lock:
        _eskiz_token.clear()
