"""Email through Django's email backend (SMTP when HAMKOR_EMAIL_ENABLED=1)."""

from __future__ import annotations

import contextlib
import smtplib
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from hamkor.messaging.providers.base import Outgoing, ProviderError, SendResult

# One open connection per worker thread: a new SMTP session (TCP, EHLO, TLS, login) for
# every message capped the outbox at about 60-100 emails/s (docs/benchmarks.md).
_open = threading.local()

# Extra headers per message, registered by apps in AppConfig.ready() (marketing: RFC 8058
# List-Unsubscribe for bulk emails).
HEADER_HOOKS: list[Callable[[Outgoing], dict[str, str]]] = []


def _connection() -> Any:
    """This thread's open connection to the configured email backend."""
    connection = getattr(_open, "connection", None)
    # Settings are read at call time: a changed server gets a new session.
    target = (
        settings.EMAIL_BACKEND,
        settings.EMAIL_HOST,
        settings.EMAIL_PORT,
        settings.EMAIL_HOST_USER,
    )
    if connection is None or getattr(_open, "target", None) != target:
        close_connection()
        connection = get_connection(fail_silently=False)
        connection.open()
        _open.connection, _open.target = connection, target
    return connection


def close_connection() -> None:
    """Close this thread's connection (the next message opens a new one)."""
    connection = getattr(_open, "connection", None)
    _open.connection = None
    if connection is not None:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()


class EmailProvider:
    name = "email"
    # SMTP servers do not de-duplicate by Message-ID.
    supports_idempotency = False

    def send(self, message: Outgoing) -> SendResult:
        try:
            return self._send(message)
        except ProviderError as error:
            # An idle session the server hung up on fails before the message is handed
            # over, so one fresh session may try again without sending it twice.
            if not isinstance(error.__cause__, smtplib.SMTPServerDisconnected):
                close_connection()
                raise
            close_connection()
            try:
                return self._send(message)
            except ProviderError:
                close_connection()
                raise

    def _send(self, message: Outgoing) -> SendResult:
        headers = {"Message-ID": message.email_message_id}
        if message.in_reply_to:
            headers["In-Reply-To"] = message.in_reply_to
            headers["References"] = message.references or message.in_reply_to
        for hook in HEADER_HOOKS:
            headers.update(hook(message))
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to_address],
            headers=headers,
        )
        if message.html_body:
            email.attach_alternative(message.html_body, "text/html")
        try:
            email.connection = _connection()
            email.send()
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as error:
            raise ProviderError(
                f"The mail server refused the message: {error}", retryable=False
            ) from error
        except smtplib.SMTPResponseException as error:
            # 5xx is permanent, 4xx is "try again later".
            raise ProviderError(
                f"The mail server answered {error.smtp_code}: {error.smtp_error!r}",
                retryable=error.smtp_code < 500,
            ) from error
        except (smtplib.SMTPException, OSError) as error:
            raise ProviderError(
                f"Could not reach the mail server: {error}", retryable=True
            ) from error
        return SendResult(provider_message_id=message.email_message_id)
