"""The company form."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from hamkor.accounts.models import User
from hamkor.accounts.selectors import list_assignable_users
from hamkor.contacts.forms.common import (
    CustomFieldsMixin,
    model_choice_field,
    split_tags,
    version_field,
)
from hamkor.contacts.models import Company, CustomFieldDefinition
from hamkor.contacts.selectors import list_sources
from hamkor.core.phones import normalize_phone


class CompanyForm(CustomFieldsMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    legal_name = forms.CharField(label=gettext_lazy("Legal name"), max_length=200, required=False)
    tax_id = forms.CharField(label=gettext_lazy("Tax ID"), max_length=32, required=False)
    phone = forms.CharField(
        label=gettext_lazy("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    website = forms.URLField(label=gettext_lazy("Website"), required=False, assume_scheme="https")
    address = forms.CharField(label=gettext_lazy("Address"), max_length=255, required=False)
    city = forms.CharField(label=gettext_lazy("City"), max_length=100, required=False)
    source = forms.ModelChoiceField(
        label=gettext_lazy("Source"), queryset=Company.objects.none(), required=False
    )
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Owner"), queryset=User.objects.none(), required=False
    )
    tags = forms.CharField(
        label=gettext_lazy("Tags"),
        required=False,
        help_text=gettext_lazy("Separate tags with commas."),
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = version_field()

    SCALARS = (
        "name",
        "legal_name",
        "tax_id",
        "phone",
        "email",
        "website",
        "address",
        "city",
        "source",
        "notes",
    )

    def __init__(
        self,
        *args: Any,
        viewer: User,
        definitions: Sequence[CustomFieldDefinition],
        company: Company | None = None,
        **kwargs: Any,
    ) -> None:
        if company is not None:
            initial: dict[str, Any] = {name: getattr(company, name) for name in self.SCALARS}
            initial.update(
                source=company.source_id,
                owner=company.owner_id,
                tags=", ".join(tag.name for tag in company.tags.all()),
                version=company.version,
            )
            kwargs.setdefault("initial", initial)
        else:
            kwargs.setdefault("initial", {"owner": viewer.pk})
        super().__init__(*args, **kwargs)
        model_choice_field(self, "source").queryset = list_sources()
        model_choice_field(self, "owner").queryset = list_assignable_users(viewer=viewer)
        self.add_custom_fields(definitions, company.custom_fields if company else {})

    def clean_phone(self) -> str:
        # Checked here too, so the message sits beside the field; the service stores E.164.
        phone: str = self.cleaned_data.get("phone", "").strip()
        if phone:
            normalize_phone(phone)
        return phone

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data[name] for name in self.SCALARS if name in data}
        if data.get("owner") is not None:
            values["owner"] = data["owner"]
        return values

    def expected_version(self) -> int | None:
        """The version the user started editing from; None when the page did not say."""
        version: int | None = self.cleaned_data.get("version")
        return version

    def tag_names(self) -> list[str]:
        return split_tags(self.cleaned_data.get("tags", ""))
