"""Recording audit events, and telling listeners about them once they are committed.

``event_recorded`` is sent after the transaction that stored an event commits (never for a
rolled-back one), in the context variables of the code that recorded it, with the keyword
arguments ``event_id``, ``verb``, ``target_type`` and ``target_id``. Receivers (automation
rules, for example) take the id, reload what they need and must be safe to run twice::

    from hamkor.core.audit import event_recorded
    event_recorded.connect(on_event, dispatch_uid="automation-event-recorded")
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction
from django.dispatch import Signal

from hamkor.core.models import AuditEvent

event_recorded = Signal()


def record_event(
    *, actor: Any, verb: str, target: models.Model, data: dict[str, Any] | None = None
) -> AuditEvent:
    """Append one audit event; the actor may be None for system work.

    Listeners of ``event_recorded`` hear about it after commit.
    """
    actor_obj = actor if getattr(actor, "pk", None) else None
    event = AuditEvent.objects.create(
        actor=actor_obj,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data or {},
    )
    if event_recorded.has_listeners(AuditEvent):
        # Listeners see the context variables of the code that recorded the event (for
        # example how deep in a chain of automation rules it ran), even when the commit
        # happens later, further out.
        context = contextvars.copy_context()
        transaction.on_commit(lambda: context.run(_announce, event))
    return event


def snapshot(instance: models.Model, names: Iterable[str]) -> dict[str, str]:
    """Field values as text for an audit ``changed`` map; relations by id, None as "".

    A record with a ``custom_fields`` dict also gets one ``custom_fields.<key>`` entry per key.
    """
    values: dict[str, str] = {}
    for name in names:
        field = instance._meta.get_field(name)
        if not isinstance(field, models.Field) or field.many_to_many:
            continue
        value = getattr(instance, field.attname)
        values[name] = "" if value is None else str(value)
    custom = getattr(instance, "custom_fields", None)
    if isinstance(custom, dict):
        for key, value in custom.items():
            values[f"custom_fields.{key}"] = "" if value is None else str(value)
    return values


def changes(before: Mapping[str, str], after: Mapping[str, str]) -> dict[str, list[str]]:
    """``{field: [old, new]}`` for every field whose text differs between two snapshots."""
    return {
        name: [before.get(name, ""), after.get(name, "")]
        for name in sorted(set(before) | set(after))
        if before.get(name, "") != after.get(name, "")
    }


def _announce(event: AuditEvent) -> None:
    event_recorded.send(
        sender=AuditEvent,
        event_id=event.pk,
        verb=event.verb,
        target_type=event.target_type,
        target_id=event.target_id,
    )
