"""Search-as-you-type pickers for a contact or a company in any form.

A picker posts the chosen record's id under the field's own name (a hidden input) and the
text typed into its search box under ``<name>_q``. The field validates the id against the
viewer's visible records, so an id typed into the page by hand is refused like any other
unknown id. Suggestions come from ``contacts.views.pickers``; ``contacts/picker.js`` moves
through them with the arrow keys and fills the hidden id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from hamkor.contacts.models import Company, Contact
from hamkor.core.phones import format_phone

SEARCH_SUFFIX = "_q"


@dataclass(frozen=True)
class PickerItem:
    """One record as a picker shows it: the name plus what tells namesakes apart."""

    pk: int
    label: str
    detail: str

    def __str__(self) -> str:
        return str(self.pk)


def describe_contact(contact: Contact) -> PickerItem:
    """Name, first phone and company (phones should be prefetched)."""
    phones = list(contact.phones.all())
    parts = [format_phone(phones[0].number)] if phones else []
    if contact.company_id and contact.company is not None:
        parts.append(contact.company.name)
    if contact.city:
        parts.append(contact.city)
    return PickerItem(pk=contact.pk, label=contact.full_name, detail=" · ".join(parts))


def describe_company(company: Company) -> PickerItem:
    parts = [format_phone(company.phone)] if company.phone else []
    if company.city:
        parts.append(company.city)
    return PickerItem(pk=company.pk, label=company.name, detail=" · ".join(parts))


@dataclass(frozen=True)
class Unpicked:
    """Text typed into a picker's box without choosing one of the suggestions."""

    text: str

    def __str__(self) -> str:
        return self.text


class PickerWidget(forms.Widget):
    """A search box with a suggestion list and a hidden input carrying the chosen id.

    Its value is what the field's ``prepare_value`` gives: the chosen ``PickerItem``, the
    ``Unpicked`` text, or None.
    """

    template_name = "contacts/_picker.html"

    def __init__(self, kind: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.kind = kind

    def value_from_datadict(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> Any:
        picked = str(data.get(name) or "").strip()
        typed = str(data.get(name + SEARCH_SUFFIX) or "").strip()
        if not picked and typed:
            return Unpicked(typed)
        return picked or None

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> bool:
        return name not in data and name + SEARCH_SUFFIX not in data

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen = value if isinstance(value, PickerItem) else None
        if isinstance(value, Unpicked):
            typed = value.text
        elif chosen is not None:
            typed = chosen.label
        else:
            typed = ""
        widget = context["widget"]
        attrs = widget["attrs"]
        input_id = attrs.get("id") or f"id_{name}"
        described_by = [f"{input_id}_chosen", f"{input_id}_status"]
        if attrs.get("aria-describedby"):
            described_by.append(attrs["aria-describedby"])
        widget.update(
            {
                "kind": self.kind,
                "chosen": chosen,
                "typed": typed,
                "search_name": name + SEARCH_SUFFIX,
                "input_id": input_id,
                "options_id": f"{input_id}_options",
                "status_id": f"{input_id}_status",
                "described_by": " ".join(described_by),
                "required": bool(attrs.get("required")),
                "invalid": bool(attrs.get("aria-invalid")),
                "url": reverse("contacts:pick", args=[self.kind]),
            }
        )
        return context


class _PickerField(forms.ModelChoiceField[Any]):
    kind = ""
    unpicked_message = _("Choose one of the suggestions, or clear the box.")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", None)
        kwargs.setdefault("widget", PickerWidget(self.kind))
        super().__init__(**kwargs)

    def describe(self, record: Any) -> PickerItem:
        raise NotImplementedError

    def prepare_value(self, value: Any) -> Any:
        """The chosen record as the widget shows it; an id the viewer cannot see is dropped."""
        if value is None or isinstance(value, Unpicked | PickerItem):
            return value
        if isinstance(value, Contact | Company):
            return self.describe(value)
        text = str(value).strip()
        if not text.isdigit() or self.queryset is None:
            return None
        record = self.lookup(self.queryset).filter(pk=int(text)).first()
        return self.describe(record) if record is not None else None

    def lookup(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset

    def to_python(self, value: Any) -> Any:
        if isinstance(value, Unpicked):
            raise ValidationError(self.unpicked_message, code="unpicked")
        if isinstance(value, PickerItem):
            value = value.pk
        return super().to_python(value)


class ContactPickerField(_PickerField):
    """A contact chosen by searching; give it ``list_contacts(viewer=...)`` as queryset."""

    kind = "contact"
    unpicked_message = _("Choose the contact from the suggestions, or clear the box.")
    default_error_messages = {
        "invalid_choice": _("There is no such contact that you can see. Search again."),
    }

    def describe(self, record: Any) -> PickerItem:
        return describe_contact(record)

    def lookup(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.prefetch_related("phones")


class CompanyPickerField(_PickerField):
    """A company chosen by searching; give it ``list_companies(viewer=...)`` as queryset."""

    kind = "company"
    unpicked_message = _("Choose the company from the suggestions, or clear the box.")
    default_error_messages = {
        "invalid_choice": _("There is no such company that you can see. Search again."),
    }

    def describe(self, record: Any) -> PickerItem:
        return describe_company(record)
