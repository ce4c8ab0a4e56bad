"""Sending through the outside world: one provider per channel, chosen by settings.

Each integration is off unless ``HAMKOR_<NAME>_ENABLED=1`` (email falls back to Django's
console backend); an enabled one without its settings raises ``ImproperlyConfigured``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from hamkor.messaging.providers.base import Outgoing, Provider, ProviderError, SendResult


def missing_settings(channel: str) -> list[str]:
    """Names of the settings an enabled channel still needs (empty when ready or off)."""
    required: list[tuple[str, str]] = []
    if channel == "email" and settings.HAMKOR_EMAIL_ENABLED:
        required = [("HAMKOR_EMAIL_HOST", settings.EMAIL_HOST)]
    elif channel == "imap" and settings.HAMKOR_IMAP_ENABLED:
        required = [
            ("HAMKOR_IMAP_HOST", settings.HAMKOR_IMAP_HOST),
            ("HAMKOR_IMAP_USER", settings.HAMKOR_IMAP_USER),
            ("HAMKOR_IMAP_PASSWORD", settings.HAMKOR_IMAP_PASSWORD),
        ]
    elif channel == "sms" and settings.HAMKOR_SMS_ENABLED:
        if settings.HAMKOR_SMS_PROVIDER == "eskiz":
            required = [
                ("HAMKOR_ESKIZ_EMAIL", settings.HAMKOR_ESKIZ_EMAIL),
                ("HAMKOR_ESKIZ_PASSWORD", settings.HAMKOR_ESKIZ_PASSWORD),
            ]
        elif settings.HAMKOR_SMS_PROVIDER == "http":
            required = [("HAMKOR_SMS_GATEWAY_URL", settings.HAMKOR_SMS_GATEWAY_URL)]
        else:
            return ["HAMKOR_SMS_PROVIDER (eskiz or http)"]
    elif channel == "telegram" and settings.HAMKOR_TELEGRAM_ENABLED:
        required = [
            ("HAMKOR_TELEGRAM_BOT_TOKEN", settings.HAMKOR_TELEGRAM_BOT_TOKEN),
            ("HAMKOR_TELEGRAM_WEBHOOK_SECRET", settings.HAMKOR_TELEGRAM_WEBHOOK_SECRET),
        ]
    return [name for name, value in required if not value]


def require_configured(channel: str) -> None:
    missing = missing_settings(channel)
    if missing:
        raise ImproperlyConfigured(
            f"Messaging channel {channel} is enabled but {', '.join(missing)} is not set."
        )


def get_provider(channel: str) -> Provider:
    """The provider for a channel; ProviderError when the channel is switched off."""
    require_configured(channel)
    if channel == "email":
        from hamkor.messaging.providers.email import EmailProvider

        return EmailProvider()
    if channel == "sms":
        if not settings.HAMKOR_SMS_ENABLED:
            raise ProviderError(
                _("SMS sending is switched off (HAMKOR_SMS_ENABLED)."), retryable=False
            )
        from hamkor.messaging.providers.sms import EskizProvider, HttpGatewayProvider

        if settings.HAMKOR_SMS_PROVIDER == "http":
            return HttpGatewayProvider()
        return EskizProvider()
    if channel == "telegram":
        if not settings.HAMKOR_TELEGRAM_ENABLED:
            raise ProviderError(
                _("Telegram sending is switched off (HAMKOR_TELEGRAM_ENABLED)."), retryable=False
            )
        from hamkor.messaging.providers.telegram import TelegramProvider

        return TelegramProvider()
    raise ProviderError(_("Unknown channel."), retryable=False)


__all__ = [
    "Outgoing",
    "Provider",
    "ProviderError",
    "SendResult",
    "get_provider",
    "missing_settings",
    "require_configured",
]
