"""Reading the audit trail: administrators search all of it; a record's history is also open
to those who may see the record (contacts: their owner, team and managers)."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from hamkor.accounts.models import Role, User
from hamkor.contacts.models import Contact
from hamkor.contacts.selectors import get_contact
from hamkor.core.models import AuditEvent

CONTACT_TYPE = "contacts.contact"
ORDER = ("-created_at", "-id")


def can_search_audit(user: Any) -> bool:
    """Administrators (the admin role or a superuser): managers see records, not the log."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or user.role == Role.ADMIN)
    )


@dataclass(frozen=True)
class AuditFilters:
    """What the audit search narrows to; empty values do not filter.

    ``verb`` without a dot means every verb of that kind ("contact": contact.created, ...).
    ``date_from`` and ``date_to`` are days in the current time zone, both included.
    """

    actor: str = ""
    verb: str = ""
    target_type: str = ""
    target_id: str = ""
    ip: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    text: str = ""


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min), timezone.get_current_timezone()
    )


def _text_condition(text: str) -> Q:
    condition = Q(data_text__icontains=text)
    if connection.vendor == "sqlite":
        # SQLite keeps JSON as Django wrote it, non-ASCII escaped ("\u041a"): look for that
        # spelling too, or a Cyrillic name would never be found.
        escaped = json.dumps(text)[1:-1]
        if escaped != text:
            condition |= Q(data_text__contains=escaped)
    return condition


def search_events(*, viewer: User, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Events matching ``filters``, newest first; none unless the viewer is an administrator.

    Each filter but the free text has an index (see AuditEvent.Meta); the free text reads
    the rows the other filters leave, so narrow by date on a big table.
    """
    events = AuditEvent.objects.select_related("actor").order_by(*ORDER)
    if not can_search_audit(viewer):
        return events.none()
    if filters.actor:
        actor_id = (
            User.objects.filter(username__iexact=filters.actor).values_list("pk", flat=True).first()
        )
        if actor_id is None:
            return events.none()
        events = events.filter(actor_id=actor_id)
    if filters.verb:
        verb = filters.verb.strip()
        events = (
            events.filter(verb=verb) if "." in verb else events.filter(verb__startswith=verb + ".")
        )
    if filters.target_type:
        events = events.filter(target_type=filters.target_type)
    if filters.target_id:
        events = events.filter(target_id=filters.target_id.strip())
    if filters.ip:
        events = events.filter(ip=filters.ip.strip())
    if filters.date_from:
        events = events.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        events = events.filter(
            created_at__lt=_day_start(filters.date_to + datetime.timedelta(days=1))
        )
    if filters.text.strip():
        events = events.annotate(data_text=Cast("data", TextField())).filter(
            _text_condition(filters.text.strip())
        )
    return events


def can_see_history(*, viewer: User, target_type: str, target_id: str) -> bool:
    """Administrators see every record's history; others that of contacts they may see."""
    if can_search_audit(viewer):
        return True
    if target_type != CONTACT_TYPE or not target_id.isdigit():
        return False
    try:
        get_contact(viewer=viewer, pk=int(target_id))
    except Contact.DoesNotExist:
        return False
    return True


def list_record_history(*, target_type: str, target_id: str) -> QuerySet[AuditEvent]:
    """Every event about one record, newest first (check ``can_see_history`` first)."""
    return (
        AuditEvent.objects.filter(target_type=target_type, target_id=target_id)
        .select_related("actor")
        .order_by(*ORDER)
    )


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


def field_changes(event: AuditEvent) -> list[FieldChange]:
    """The event's ``changed`` map as rows; empty when it has none in the usual shape.

    Services record ``{"changed": {field: [before, after]}}`` (core.audit.changes).
    """
    changed = event.data.get("changed") if isinstance(event.data, dict) else None
    if not isinstance(changed, dict):
        return []
    rows = []
    for name, pair in changed.items():
        if isinstance(pair, list | tuple) and len(pair) == 2:
            rows.append(FieldChange(str(name), _text(pair[0]), _text(pair[1])))
    return rows


def other_details(event: AuditEvent) -> dict[str, str]:
    """The event's details other than a usable ``changed`` map, each value as text."""
    if not isinstance(event.data, dict):
        return {"": _text(event.data)}
    skip = {"changed"} if field_changes(event) else set()
    return {key: _text(value) for key, value in event.data.items() if key not in skip}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
