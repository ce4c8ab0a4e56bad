"""The fields of a form as the public page and the embed snippet show them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hamkor.contacts.models import CustomFieldDefinition, Entity, FieldType
from hamkor.webforms.models import WebForm
from hamkor.webforms.services.design import CUSTOM_PREFIX, STANDARD_FIELDS, custom_keys
from hamkor.webforms.services.intake import MAX_FIELD_CHARS, MAX_MESSAGE_CHARS

_INPUT_TYPES = {"email": "email", "phone": "tel"}
_AUTOCOMPLETE = {
    "first_name": "given-name",
    "last_name": "family-name",
    "email": "email",
    "phone": "tel",
    "company": "organization",
    "city": "address-level2",
}


@dataclass
class PublicField:
    key: str
    label: str
    required: bool
    input_type: str = "text"  # text, email, tel, number, date, textarea, select, checkbox
    autocomplete: str = ""
    max_length: int = MAX_FIELD_CHARS
    choices: list[str] = field(default_factory=list)
    value: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def html_id(self) -> str:
        return "hf-" + self.key.replace(":", "-")


def _custom_type(definition: CustomFieldDefinition) -> str:
    return {
        FieldType.NUMBER: "number",
        FieldType.DATE: "date",
        FieldType.CHOICE: "select",
        FieldType.BOOLEAN: "checkbox",
    }.get(FieldType(definition.field_type), "text")


def public_fields(
    form: WebForm, values: Mapping[str, Any], errors: Mapping[str, list[str]]
) -> list[PublicField]:
    """The form's fields in order, with what the visitor typed and the errors beside them."""
    keys = custom_keys(form)
    definitions = {
        d.key: d for d in CustomFieldDefinition.objects.filter(entity=Entity.CONTACT, key__in=keys)
    }
    rows = []
    for spec in form.fields:
        key = spec["key"]
        if key.startswith(CUSTOM_PREFIX):
            definition = definitions.get(key[len(CUSTOM_PREFIX) :])
            if definition is None or not definition.is_active:
                continue
            row = PublicField(
                key=key,
                label=definition.label,
                required=bool(spec["required"]),
                input_type=_custom_type(definition),
                choices=[str(c) for c in definition.choices],
            )
        elif key in STANDARD_FIELDS:
            row = PublicField(
                key=key,
                label=str(STANDARD_FIELDS[key]),
                required=bool(spec["required"]),
                input_type="textarea" if key == "message" else _INPUT_TYPES.get(key, "text"),
                autocomplete=_AUTOCOMPLETE.get(key, ""),
                max_length=MAX_MESSAGE_CHARS if key == "message" else MAX_FIELD_CHARS,
            )
        else:
            continue
        row.value = str(values.get(key, ""))
        row.errors = list(errors.get(key, []))
        rows.append(row)
    return rows
