"""Checking a rule's conditions against the record that triggered it."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from hamkor.automation.services.spec import parse_segment
from hamkor.contacts.models import Contact


def subject_contact(target: models.Model) -> Contact | None:
    """The customer a record is about: the contact itself, or the record's contact."""
    if isinstance(target, Contact):
        return target
    contact = getattr(target, "contact", None)
    return contact if isinstance(contact, Contact) else None


def field_value(target: models.Model, name: str) -> Any:
    """A field of the record (``contact.<field>`` reads the record's contact), or None.

    Relations read as their id, custom fields as ``custom_fields.<key>``.
    """
    record: models.Model | None = target
    if name.startswith("contact.") and not isinstance(target, Contact):
        record, name = subject_contact(target), name.removeprefix("contact.")
    elif name.startswith("contact."):
        name = name.removeprefix("contact.")
    if record is None:
        return None
    if name.startswith("custom_fields."):
        custom = getattr(record, "custom_fields", None) or {}
        return custom.get(name.removeprefix("custom_fields.")) if isinstance(custom, dict) else None
    try:
        field = record._meta.get_field(name)
    except FieldDoesNotExist:
        return (
            getattr(record, name, None)
            if isinstance(getattr(type(record), name, None), property)
            else None
        )
    if not isinstance(field, models.Field) or field.many_to_many:
        return None
    return getattr(record, field.attname)


def _number(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value).strip().replace(" ", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        return None


def _compare(actual: Any, expected: str) -> int | None:
    """-1, 0 or 1 comparing as numbers, dates or text; None when they do not compare."""
    if isinstance(actual, datetime.date):
        try:
            other = datetime.date.fromisoformat(expected)
        except ValueError:
            return None
        mine = actual.date() if isinstance(actual, datetime.datetime) else actual
        return (mine > other) - (mine < other)
    left, right = _number(actual), _number(expected)
    if left is not None and right is not None:
        return (left > right) - (left < right)
    text = str(actual)
    return (text > expected) - (text < expected)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _has_tag(target: models.Model, name: str) -> bool:
    holder: Any = target if hasattr(target, "tags") else subject_contact(target)
    if holder is None:
        return False
    return bool(holder.tags.filter(name__iexact=name).exists())


def _in_segment(target: models.Model, value: str) -> bool:
    from hamkor.accounts.models import User
    from hamkor.contacts.selectors import ContactFilters, list_contacts

    contact = subject_contact(target)
    if contact is None:
        return False
    segment = parse_segment(value)
    filters = ContactFilters(tag=segment["tag"], stage=segment["stage"], custom=segment["custom"])
    # Rules act for the whole organisation, so the segment is read as someone who sees all.
    everyone = User(is_superuser=True)
    return list_contacts(viewer=everyone, filters=filters).filter(pk=contact.pk).exists()


def condition_holds(target: models.Model, condition: Mapping[str, str]) -> bool:
    """Whether one condition row is true for the record."""
    op, value = condition["op"], condition.get("value", "")
    if op == "has_tag":
        return _has_tag(target, value)
    if op == "lacks_tag":
        return not _has_tag(target, value)
    if op == "in_segment":
        return _in_segment(target, value)
    actual = field_value(target, condition["field"])
    if op == "is_empty":
        return actual in (None, "", [], {})
    if op == "is_not_empty":
        return actual not in (None, "", [], {})
    if op == "equals":
        return _text(actual).casefold() == value.casefold()
    if op == "not_equals":
        return _text(actual).casefold() != value.casefold()
    if op == "contains":
        return value.casefold() in _text(actual).casefold()
    if actual in (None, ""):
        return False
    order = _compare(actual, value)
    if op == "greater":
        return order == 1
    return order == -1


def first_failing(target: models.Model, conditions: Sequence[Mapping[str, str]]) -> str:
    """A sentence naming the first condition that does not hold, or "" when all hold."""
    from hamkor.automation.services.spec import OPERATORS

    for condition in conditions:
        if not condition_holds(target, condition):
            return _("Condition not met: %(field)s %(op)s %(value)s") % {
                "field": condition.get("field") or _("record"),
                "op": OPERATORS.get(condition["op"], condition["op"]),
                "value": condition.get("value", ""),
            }
    return ""
