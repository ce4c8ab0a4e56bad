"""Audit events for signing in and out, and the worker's origin."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest

from hamkor.core.audit import Origin, record_event, record_event_about, set_process_origin
from hamkor.core.models import Via

# Longer "usernames" are somebody pasting text into the field; keep enough to recognise it.
USERNAME_KEPT = 150


def logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record_event(actor=user, verb="user.logged_in", target=user)


def logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    # Logging out of a session that was never signed in has nobody to record.
    if user is not None and user.is_authenticated:
        record_event(actor=user, verb="user.logged_out", target=user)


def login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """The username tried, never the password (Django passes it masked; we drop it anyway)."""
    model = get_user_model()
    username = str(credentials.get(model.USERNAME_FIELD) or credentials.get("username") or "")
    user = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()
    record_event_about(
        actor=None,
        verb="user.login_failed",
        target_type=model._meta.label_lower,
        target_id=str(user.pk) if user else "",
        data={"username": username[:USERNAME_KEPT]},
    )


def worker_started() -> None:
    set_process_origin(Origin(via=Via.WORKER))
