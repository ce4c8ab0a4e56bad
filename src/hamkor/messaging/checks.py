"""System checks: an enabled integration without its settings stops `hamkor run` loudly."""

from __future__ import annotations

from typing import Any

from django.core import checks

from hamkor.messaging.providers import missing_settings


def check_integrations(**kwargs: Any) -> list[checks.CheckMessage]:
    """One error per enabled channel that lacks settings."""
    errors: list[checks.CheckMessage] = []
    for channel in ("email", "imap", "sms", "telegram"):
        missing = missing_settings(channel)
        if missing:
            errors.append(
                checks.Error(
                    f"{channel} is enabled but {', '.join(missing)} is not set.",
                    hint="Set the variables (see .env.example) or switch the integration off.",
                    id="messaging.E001",
                )
            )
    return errors


def register() -> None:
    checks.register(check_integrations, "messaging")
