"""Validating custom field values against their definitions."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hamkor.contacts.models import CustomFieldDefinition, Entity, FieldType

# Yes/no as typed in English, Uzbek (both apostrophes), Russian and Kyrgyz.
_TRUE = {"1", "true", "yes", "on", "ha", "да", "ооба"}
_FALSE = {"0", "false", "no", "off", "yo'q", "yoʻq", "нет", "жок", ""}


def active_definitions(entity: str) -> list[CustomFieldDefinition]:
    return list(CustomFieldDefinition.objects.filter(entity=entity, is_active=True))


def clean_value(definition: CustomFieldDefinition, raw: Any) -> Any:
    """Convert one raw value to its stored JSON form, or raise ValidationError."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if definition.required and definition.field_type != FieldType.BOOLEAN:
            raise ValidationError(_("“%(label)s” is required."), params={"label": definition.label})
        return False if definition.field_type == FieldType.BOOLEAN else None
    kind = definition.field_type
    if kind == FieldType.TEXT:
        return str(raw).strip()[:500]
    if kind == FieldType.NUMBER:
        try:
            number = Decimal(str(raw).replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            raise ValidationError(
                _("“%(label)s” must be a number."), params={"label": definition.label}
            ) from None
        if not number.is_finite():
            raise ValidationError(
                _("“%(label)s” must be a number."), params={"label": definition.label}
            )
        # JSON numbers, so filters compare numerically on both databases.
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == FieldType.DATE:
        if isinstance(raw, datetime.date):
            return raw.isoformat()
        try:
            return datetime.date.fromisoformat(str(raw).strip()).isoformat()
        except ValueError:
            raise ValidationError(
                _("“%(label)s” must be a date like 2024-03-21."), params={"label": definition.label}
            ) from None
    if kind == FieldType.CHOICE:
        value = str(raw).strip()
        if value not in definition.choices:
            raise ValidationError(
                _("“%(value)s” is not one of the choices for “%(label)s”."),
                params={"value": value, "label": definition.label},
            )
        return value
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValidationError(_("“%(label)s” must be yes or no."), params={"label": definition.label})


def clean_custom_fields(
    *, entity: str, values: Mapping[str, Any], existing: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Validate ``values`` (key -> raw) and merge them over ``existing``; unknown keys fail."""
    definitions = {d.key: d for d in active_definitions(entity)}
    errors: dict[str, list[str]] = {}
    result = dict(existing or {})
    unknown = sorted(set(values) - set(definitions))
    if unknown:
        errors["custom_fields"] = [
            _("Unknown custom field: %(keys)s.") % {"keys": ", ".join(unknown)}
        ]
    for key, definition in definitions.items():
        if key not in values:
            if (
                definition.required
                and result.get(key) in (None, "")
                and definition.field_type != FieldType.BOOLEAN
            ):
                errors.setdefault(f"custom_fields.{key}", []).append(
                    _("“%(label)s” is required.") % {"label": definition.label}
                )
            continue
        try:
            cleaned = clean_value(definition, values[key])
        except ValidationError as error:
            errors.setdefault(f"custom_fields.{key}", []).extend(error.messages)
            continue
        if cleaned is None:
            result.pop(key, None)
        else:
            result[key] = cleaned
    if errors:
        raise ValidationError(errors)
    return result


def searchable_values(entity: str, values: Mapping[str, Any]) -> list[str]:
    """Text and choice values go into search text."""
    keys = {
        d.key
        for d in active_definitions(entity)
        if d.field_type in (FieldType.TEXT, FieldType.CHOICE)
    }
    return [str(values[key]) for key in keys if values.get(key)]


ENTITY_CONTACT = Entity.CONTACT
ENTITY_COMPANY = Entity.COMPANY
