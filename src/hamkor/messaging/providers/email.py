"""Email through Django's email backend (SMTP when HAMKOR_EMAIL_ENABLED=1)."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from hamkor.messaging.providers.base import Outgoing, ProviderError, SendResult


class EmailProvider:
    name = "email"
    # SMTP servers do not de-duplicate by Message-ID.
    supports_idempotency = False

    def send(self, message: Outgoing) -> SendResult:
        headers = {"Message-ID": message.email_message_id}
        if message.in_reply_to:
            headers["In-Reply-To"] = message.in_reply_to
            headers["References"] = message.references or message.in_reply_to
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to_address],
            headers=headers,
            connection=get_connection(fail_silently=False),
        )
        if message.html_body:
            email.attach_alternative(message.html_body, "text/html")
        try:
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
