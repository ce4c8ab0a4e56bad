"""Recording audit events, and telling listeners about them once they are committed.

``event_recorded`` is sent after the transaction that stored an event commits (never for a
rolled-back one), in the context variables of the code that recorded it, with the keyword
arguments ``event_id``, ``verb``, ``target_type`` and ``target_id``. Receivers (automation
rules, for example) take the id, reload what they need and must be safe to run twice::

    from hamkor.core.audit import event_recorded
    event_recorded.connect(on_event, dispatch_uid="automation-event-recorded")

Every event also says where it came from (IP, browser, web/API/command line/background job),
taken from the ``Origin`` that ``hamkor.audit.middleware`` and the worker hooks set around
each request and job. Events are append-only; ``redact_values`` is the one sanctioned change.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone

from hamkor.core.models import AuditEvent, Via

event_recorded = Signal()

ERASED = "[erased]"
# Rows read per query while looking for values to redact.
REDACT_BATCH = 2000


@dataclass(frozen=True)
class Origin:
    """Where the code recording events runs: a request (web or API), a job or a command."""

    via: str
    ip: str | None = None
    user_agent: str = ""
    request: str = ""


_origin: contextvars.ContextVar[Origin | None] = contextvars.ContextVar(
    "hamkor_audit_origin", default=None
)


# What runs outside any request: the command line, unless the process says it is the worker
# (hamkor.audit's AppConfig.ready). A plain global: the worker's threads share it.
_process_origin = Origin(via=Via.CLI)


def set_process_origin(origin: Origin) -> None:
    """Where events recorded outside a request come from, for the whole process."""
    global _process_origin
    _process_origin = origin


def current_origin() -> Origin:
    """The origin set around the running request; outside one, the process's."""
    return _origin.get() or _process_origin


@contextmanager
def audit_origin(origin: Origin) -> Iterator[Origin]:
    """Record events inside the block as coming from ``origin``."""
    token = _origin.set(origin)
    try:
        yield origin
    finally:
        _origin.reset(token)


def set_origin(origin: Origin | None) -> contextvars.Token[Origin | None]:
    """Set the origin until ``reset_origin(token)``; for hooks that cannot use a ``with``."""
    return _origin.set(origin)


def reset_origin(token: contextvars.Token[Origin | None]) -> None:
    _origin.reset(token)


def record_event(
    *, actor: Any, verb: str, target: models.Model, data: dict[str, Any] | None = None
) -> AuditEvent:
    """Append one audit event; the actor may be None for system work.

    Listeners of ``event_recorded`` hear about it after commit.
    """
    return record_event_about(
        actor=actor,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data,
    )


def record_event_about(
    *, actor: Any, verb: str, target_type: str, target_id: str, data: dict[str, Any] | None = None
) -> AuditEvent:
    """``record_event`` for a target known only by type and id (a failed login's username
    may match no user: its target id is then empty)."""
    actor_obj = actor if getattr(actor, "pk", None) else None
    origin = current_origin()
    event = AuditEvent.objects.create(
        actor=actor_obj,
        verb=verb,
        target_type=target_type,
        target_id=target_id,
        data=data or {},
        ip=origin.ip,
        user_agent=origin.user_agent[:300],
        via=origin.via,
        request=origin.request[:300],
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


def redact_values(*, values: Sequence[str]) -> int:
    """Replace every occurrence of ``values`` (any case) in events' details and browser
    strings with "[erased]", stamp ``redacted_at``; returns how many events changed.

    For erasing a person: their phones, emails and names. Blank values are ignored (they
    would match everywhere). Reads the whole audit table in batches: the details are JSON,
    and neither database can match non-ASCII text case-insensitively inside it reliably.
    """
    needles = sorted({value.strip() for value in values if value and value.strip()}, key=len)
    if not needles:
        return 0
    # Longest first, so "Dilnoza Karimova" is erased whole before "Dilnoza" alone.
    pattern = re.compile("|".join(re.escape(n) for n in reversed(needles)), re.IGNORECASE)
    changed = 0
    last_pk = 0
    while True:
        rows = list(
            AuditEvent.objects.filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", "data", "user_agent")[:REDACT_BATCH]
        )
        if not rows:
            return changed
        last_pk = rows[-1][0]
        for pk, data, user_agent in rows:
            new_data = _scrub(data, pattern)
            new_agent = pattern.sub(ERASED, user_agent)
            if new_data == data and new_agent == user_agent:
                continue
            changed += AuditEvent.objects.filter(pk=pk)._redact(
                data=new_data, user_agent=new_agent, redacted_at=timezone.now()
            )


def _scrub(value: Any, pattern: re.Pattern[str]) -> Any:
    """``value`` (decoded JSON) with every match of ``pattern`` in keys and strings erased."""
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, dict):
        return {pattern.sub(ERASED, key): _scrub(item, pattern) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, pattern) for item in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A phone stored as a number is still a phone.
        text = str(value)
        return ERASED if pattern.sub(ERASED, text) != text else value
    return value


def _announce(event: AuditEvent) -> None:
    event_recorded.send(
        sender=AuditEvent,
        event_id=event.pk,
        verb=event.verb,
        target_type=event.target_type,
        target_id=event.target_id,
    )
