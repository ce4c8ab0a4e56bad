"""Recording audit events."""

from __future__ import annotations

from typing import Any

from django.db import models

from hamkor.core.models import AuditEvent


def record_event(
    *, actor: Any, verb: str, target: models.Model, data: dict[str, Any] | None = None
) -> AuditEvent:
    """Append one audit event; the actor may be None for system work."""
    actor_obj = actor if getattr(actor, "pk", None) else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data or {},
    )
