"""Optimistic concurrency: a ``version`` column checked and bumped by every edit.

An edit form or API client sends the version it started from. The service calls
``claim_version`` first, inside its transaction: the row is locked and reloaded, a stale
version raises ``EditConflict`` (with the current record and what others changed since),
otherwise the instance moves to the next version and the service's ``save()`` writes it.
Services record the new version in their audit event (``data["version"]``) beside the
``changed`` map, which is how ``changes_since`` can tell a second editor what they missed.
See docs/concurrency.md.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from hamkor.core.models import AuditEvent

M = TypeVar("M", bound=models.Model)

# How many recent events of one record are read to explain a conflict; an editor who missed
# more than this sees the newest ones.
CHANGES_LOOKBACK = 200
_ETAG = re.compile(r'\s*(?:W/)?"([^"]*)"\s*')


@dataclass(frozen=True)
class OtherChange:
    """One field somebody else changed after the caller's version."""

    field: str
    label: str
    value: str
    actor: str
    at: datetime.datetime


class EditConflict(ValidationError):
    """The record changed after the version the caller started from; nothing was written.

    A ValidationError, so code that does not know about conflicts still shows a clear
    message (a form error, a 422) instead of failing.
    """

    def __init__(
        self, *, current: models.Model, expected: int, changes: Sequence[OtherChange]
    ) -> None:
        super().__init__(
            _(
                "Someone else changed this record after you opened it (your version "
                "%(expected)s, now %(version)s). Nothing was saved; reload and try again."
            )
            % {"expected": expected, "version": current_version(current)},
            code="edit_conflict",
        )
        self.current = current
        self.expected = expected
        self.changes = list(changes)


def current_version(instance: models.Model) -> int:
    """The instance's version number."""
    return int(getattr(instance, "version", 0))


def claim_version(instance: M, *, expected: int | None) -> M:
    """Lock the row, reload ``instance`` from it and move it to the next version.

    Call first thing inside the transaction that saves the change, then ``save()``. With
    ``expected`` given and not the stored version, raise EditConflict and write nothing;
    None skips the check (last write wins) but still bumps, so other editors notice. The
    reload means fields the caller does not set keep what is stored now, not what the
    caller's (possibly older) copy held.
    """
    manager = type(instance)._default_manager
    # SELECT ... FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction serialises.
    instance.refresh_from_db(from_queryset=manager.select_for_update())
    stored = current_version(instance)
    if expected is not None and expected != stored:
        raise EditConflict(
            current=instance, expected=expected, changes=changes_since(instance, expected)
        )
    instance.version = stored + 1  # type: ignore[attr-defined]
    return instance


def changes_since(instance: models.Model, version: int) -> list[OtherChange]:
    """Fields changed after ``version`` by the audit trail, with their current values.

    Reads the ``changed`` maps of events that carry a ``version`` above the given one; the
    value shown is the record's current one (what a forced save would overwrite). Custom
    fields are labelled by their key; callers that know the definitions relabel them.
    """
    events = AuditEvent.objects.filter(
        target_type=instance._meta.label_lower, target_id=str(instance.pk)
    ).select_related("actor")
    latest: dict[str, AuditEvent] = {}
    for event in reversed(list(events.order_by("-id")[:CHANGES_LOOKBACK])):
        data = event.data or {}
        if not isinstance(data.get("version"), int) or data["version"] <= version:
            continue
        for name in data.get("changed") or {}:
            latest[name] = event
    return [
        OtherChange(
            field=name,
            label=field_label(instance, name),
            value=display_value(instance, name),
            actor=str(event.actor) if event.actor else _("the customer or an automatic rule"),
            at=event.created_at,
        )
        for name, event in sorted(latest.items(), key=lambda item: item[1].pk)
    ]


def field_label(instance: models.Model, name: str) -> str:
    """A field's human name: the model field's verbose name, or a custom field's key."""
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        return name.removeprefix("custom_fields.")
    if isinstance(field, models.Field):
        return str(field.verbose_name)
    return str(field.related_model._meta.verbose_name_plural)  # type: ignore[union-attr]


def display_value(instance: models.Model, name: str) -> str:
    """The current value of a field as a person reads it (choices by label, lists joined)."""
    if name.startswith("custom_fields."):
        value = (getattr(instance, "custom_fields", None) or {}).get(
            name.removeprefix("custom_fields.")
        )
        return "" if value is None else str(value)
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        return ""
    if field.many_to_many or field.one_to_many:
        accessor = field.name
        if isinstance(field, models.ForeignObjectRel):
            accessor = field.get_accessor_name() or field.name
        return ", ".join(str(item) for item in getattr(instance, accessor).all())
    if field.is_relation:
        value = getattr(instance, name)
        return "" if value is None else str(value)
    if getattr(field, "choices", None):
        return str(getattr(instance, f"get_{name}_display")())
    value = getattr(instance, name)
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return "" if value is None else str(value)


def parse_if_match(header: str | None) -> list[int] | None:
    """Versions named by an ``If-Match`` header; None when absent or ``*`` (no check).

    Weak (``W/"3"``) and strong (``"3"``) tags both name version 3. A tag that is not a
    version number names none, so a header with only such tags matches nothing.
    """
    if header is None or not header.strip() or header.strip() == "*":
        return None
    versions: list[int] = []
    for part in header.split(","):
        match = _ETAG.fullmatch(part)
        if match and match.group(1).isdigit():
            versions.append(int(match.group(1)))
    return versions


def expected_from(*, if_match: str | None, body_version: int | None, stored: int) -> int | None:
    """The version an API write must start from, from ``If-Match`` and/or a body field.

    None (no check) when neither is sent or the header is ``*``. When everything sent names
    the stored version, that one is expected (the service re-checks it under the row lock);
    otherwise a version that does not match, so the service reports the conflict.
    """
    versions = parse_if_match(if_match)
    if versions is None and body_version is None:
        return None
    if body_version is not None and body_version != stored:
        return body_version
    if versions is not None and stored not in versions:
        # 0 is never a stored version: a header naming no number matches nothing.
        return versions[0] if versions else 0
    return stored


def etag(instance: models.Model) -> str:
    """The strong entity tag of a record's current version, quoted as HTTP wants it."""
    return f'"{current_version(instance)}"'
