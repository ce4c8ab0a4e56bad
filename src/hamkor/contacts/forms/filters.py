"""Filters and sort orders for the contact and company lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamkor.accounts.models import User
from hamkor.accounts.selectors import list_assignable_users
from hamkor.contacts.forms.common import CUSTOM_PREFIX, CustomFieldsMixin, choice_field
from hamkor.contacts.models import CustomFieldDefinition, FieldType, Stage
from hamkor.contacts.selectors import list_sources, list_tags

SORT_CHOICES = [
    ("name", gettext_lazy("Name A–Z")),
    ("-name", gettext_lazy("Name Z–A")),
    ("-created", gettext_lazy("Newest first")),
    ("created", gettext_lazy("Oldest first")),
    ("-updated", gettext_lazy("Recently changed")),
]
COMPANY_SORT_CHOICES = SORT_CHOICES[:4]


class ContactFilterForm(CustomFieldsMixin, forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False)
    tag = forms.ChoiceField(label=gettext_lazy("Tag"), required=False)
    owner = forms.TypedChoiceField(
        label=gettext_lazy("Owner"), required=False, coerce=int, empty_value=None
    )
    stage = forms.ChoiceField(
        label=gettext_lazy("Stage"),
        required=False,
        choices=[("", gettext_lazy("Any stage")), *Stage.choices],
    )
    source = forms.TypedChoiceField(
        label=gettext_lazy("Source"), required=False, coerce=int, empty_value=None
    )
    sort = forms.ChoiceField(label=gettext_lazy("Sort"), required=False, choices=SORT_CHOICES)

    def __init__(
        self, *args: Any, viewer: User, definitions: Sequence[CustomFieldDefinition], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: dict[str, list[tuple[Any, Any]]] = {
            "tag": [("", _("Any tag")), *((t.name, t.name) for t in list_tags())],
            "owner": [
                ("", _("Anyone")),
                *((u.pk, str(u)) for u in list_assignable_users(viewer=viewer)),
            ],
            "source": [("", _("Any source")), *((s.pk, s.name) for s in list_sources())],
        }
        for name, options in choices.items():
            choice_field(self, name).choices = options
        self.definitions = list(definitions)
        for definition in self.definitions:
            self.fields[CUSTOM_PREFIX + definition.key] = _filter_field(definition)

    def custom_filters(self) -> dict[str, str]:
        return {
            d.key: str(self.cleaned_data.get(CUSTOM_PREFIX + d.key) or "")
            for d in self.definitions
            if self.cleaned_data.get(CUSTOM_PREFIX + d.key)
        }


def _filter_field(definition: CustomFieldDefinition) -> forms.Field:
    """A filter input for a custom field: a choice list where there is one, else free text."""
    label = definition.label
    if definition.field_type == FieldType.CHOICE:
        options = [("", _("Any")), *((c, c) for c in definition.choices)]
        return forms.ChoiceField(label=label, choices=options, required=False)
    if definition.field_type == FieldType.BOOLEAN:
        options = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]
        return forms.ChoiceField(label=label, choices=options, required=False)
    if definition.field_type == FieldType.DATE:
        return forms.CharField(
            label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
    return forms.CharField(label=label, required=False)


class CompanyFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False)
    tag = forms.ChoiceField(label=gettext_lazy("Tag"), required=False)
    city = forms.CharField(label=gettext_lazy("City"), required=False)
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort"), required=False, choices=COMPANY_SORT_CHOICES
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "tag").choices = [
            ("", _("Any tag")),
            *((t.name, t.name) for t in list_tags()),
        ]
