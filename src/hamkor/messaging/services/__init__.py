"""Writes and use cases for messaging; one module per area, public names re-exported here."""

from __future__ import annotations

from hamkor.messaging.services.outbox import (
    backoff_seconds,
    claim_message,
    consent_problem,
    contact_address,
    deliver_message,
    queue_message,
    record_delivery_report,
    recover_stale_messages,
    retry_message,
    send_due_messages,
)
from hamkor.messaging.services.quiet_hours import next_allowed_time, next_allowed_time_for
from hamkor.messaging.services.templating import (
    RenderedMessage,
    render_message,
    render_template,
)

__all__ = [
    "RenderedMessage",
    "backoff_seconds",
    "claim_message",
    "consent_problem",
    "contact_address",
    "deliver_message",
    "next_allowed_time",
    "next_allowed_time_for",
    "queue_message",
    "record_delivery_report",
    "recover_stale_messages",
    "render_message",
    "render_template",
    "retry_message",
    "send_due_messages",
]
