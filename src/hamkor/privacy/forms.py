"""Forms of the privacy pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ExportForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        help_text=_("Who asked, and how (email of 3 May, in the shop)."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EraseForm(forms.Form):
    confirm_name = forms.CharField(
        label=_("Type the contact's name to confirm"), max_length=400, strip=True
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        help_text=_("Who asked, and how. Do not write the person's name or phone here."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, expected_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected_name = expected_name

    def clean_confirm_name(self) -> str:
        typed = " ".join(self.cleaned_data["confirm_name"].split())
        if typed.casefold() != " ".join(self.expected_name.split()).casefold():
            raise forms.ValidationError(
                _("This is not the contact's name. Type it exactly as shown above.")
            )
        return typed


class PolicyForm(forms.Form):
    months = forms.IntegerField(
        label=_("Months without interaction"),
        min_value=1,
        max_value=600,
        help_text=_("Leads not contacted or changed for this long are erased and deleted."),
    )
    enabled = forms.BooleanField(label=_("Run every night"), required=False)
