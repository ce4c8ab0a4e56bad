"""What every contacts form shares: service errors beside fields, choice fields, tags and
custom fields."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from hamkor.contacts.models import CustomFieldDefinition, FieldType
from hamkor.core.versioning import EditConflict, OtherChange, current_version

CUSTOM_PREFIX = "cf_"


def apply_service_errors(
    form: forms.Form, error: ValidationError, *, keep: Iterable[str] = ()
) -> dict[str, list[str]]:
    """Show a service's ValidationError beside the form's fields.

    Keys named in ``keep`` (e.g. "phones") are returned for the caller to show beside
    inputs that are not form fields; anything else without a field becomes a form error.
    """
    kept: dict[str, list[str]] = {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return kept
    for key, messages in error.message_dict.items():
        name = key
        if key.startswith("custom_fields."):
            name = CUSTOM_PREFIX + key.removeprefix("custom_fields.")
        if key in keep:
            kept[key] = list(messages)
        elif name in form.fields:
            form.add_error(name, list(messages))
        else:
            form.add_error(None, list(messages))
    return kept


def version_field() -> forms.IntegerField:
    """The hidden version an edit form started from; empty (an old page) skips the check."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


def with_current_version(data: QueryDict, conflict: EditConflict) -> QueryDict:
    """What the user typed, now based on the stored version: saving again is deliberate."""
    data = data.copy()
    data["version"] = str(current_version(conflict.current))
    return data


def conflict_changes(
    conflict: EditConflict, definitions: Sequence[CustomFieldDefinition]
) -> list[OtherChange]:
    """The other editors' changes, custom fields named by their labels."""
    labels = {f"custom_fields.{d.key}": d.label for d in definitions}
    return [
        dataclasses.replace(change, label=labels.get(change.field, change.label))
        for change in conflict.changes
    ]


def choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    """A form's choice field, typed as one (Form.fields is typed as plain Field)."""
    return cast(forms.ChoiceField, form.fields[name])


def model_choice_field(form: forms.Form, name: str) -> forms.ModelChoiceField[Any]:
    return cast(forms.ModelChoiceField[Any], form.fields[name])


def split_tags(text: str) -> list[str]:
    """'vip, wholesale' -> ['vip', 'wholesale']."""
    return [part.strip() for part in text.split(",") if part.strip()]


def _custom_field(definition: CustomFieldDefinition) -> forms.Field:
    """A form field for one custom field definition; values are validated by the services."""
    label = definition.label
    kind = definition.field_type
    result: forms.Field
    if kind == FieldType.CHOICE:
        choices = [("", "—"), *((choice, choice) for choice in definition.choices)]
        result = forms.ChoiceField(label=label, choices=choices, required=False)
    elif kind == FieldType.BOOLEAN:
        result = forms.BooleanField(label=label, required=False)
    elif kind == FieldType.DATE:
        result = forms.CharField(
            label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
    elif kind == FieldType.NUMBER:
        result = forms.CharField(
            label=label, required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
        )
    else:
        result = forms.CharField(label=label, required=False, max_length=500)
    # Shown with an asterisk; the service enforces it, so its message is the one users see.
    cast(Any, result).show_required = definition.required
    if definition.required:
        result.widget.attrs["aria-required"] = "true"
    return result


def _custom_initial(definition: CustomFieldDefinition, stored: Mapping[str, Any]) -> Any:
    value = stored.get(definition.key)
    if value is None:
        return None
    if definition.field_type == FieldType.NUMBER:
        return str(value)
    return value


class CustomFieldsMixin:
    """Adds one cf_<key> field per active definition and collects their raw values."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]
    definitions: list[CustomFieldDefinition]

    def add_custom_fields(
        self, definitions: Sequence[CustomFieldDefinition], stored: Mapping[str, Any]
    ) -> None:
        self.definitions = list(definitions)
        for definition in self.definitions:
            form_field = _custom_field(definition)
            form_field.initial = _custom_initial(definition, stored)
            self.fields[CUSTOM_PREFIX + definition.key] = form_field

    def custom_values(self) -> dict[str, Any]:
        return {
            d.key: self.cleaned_data.get(CUSTOM_PREFIX + d.key)
            for d in self.definitions
            if CUSTOM_PREFIX + d.key in self.cleaned_data
        }

    def custom_bound_fields(self) -> list[forms.BoundField]:
        form = cast(forms.Form, self)
        return [form[CUSTOM_PREFIX + d.key] for d in self.definitions]
