"""The designer's form: one include/required pair of boxes per available field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hamkor.accounts.models import User
from hamkor.contacts.models import ConsentChannel, Source
from hamkor.webforms.models import WebForm
from hamkor.webforms.services import WebFormInput, available_fields
from hamkor.webforms.services.design import FieldChoice


def _slot(key: str) -> str:
    return key.replace(":", "__")


class WebFormForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    thank_you_text = forms.CharField(
        label=_("Thank-you text"),
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=_("Thank you! We will get back to you soon."),
    )
    redirect_url = forms.CharField(
        label=_("Redirect after success"),
        required=False,
        help_text=_("Optional: a page of your website to open after sending, instead of ours."),
    )
    consent_channels = forms.MultipleChoiceField(
        label=_("Consent checkbox covers"),
        choices=ConsentChannel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for a form without a consent checkbox."),
    )
    consent_text = forms.CharField(
        label=_("Consent wording"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    allowed_origins = forms.CharField(
        label=_("Websites allowed to post"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "https://www.example.com"}),
        help_text=_("One per line, like https://www.example.com. Empty: any website."),
    )
    source = forms.ModelChoiceField(
        label=_("Source of new leads"),
        queryset=Source.objects.none(),
        required=False,
        help_text=_("Used unless the visitor's utm_source names one of your sources."),
    )
    tags = forms.CharField(
        label=_("Tags for new leads"), required=False, help_text=_("Separate tags by commas.")
    )
    owner = forms.ModelChoiceField(label=_("Owner of new leads"), queryset=User.objects.none())
    rate_limit = forms.IntegerField(
        label=_("Posts per minute from one address"), min_value=1, initial=10
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, instance: WebForm | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "thank_you_text": instance.thank_you_text,
                "redirect_url": instance.redirect_url,
                "consent_channels": instance.consent_channels,
                "consent_text": instance.consent_text,
                "allowed_origins": instance.allowed_origins,
                "source": instance.source_id,
                "tags": ", ".join(t.name for t in instance.tags.all()),
                "owner": instance.owner_id,
                "rate_limit": instance.rate_limit,
                "is_active": instance.is_active,
                **{f"include_{_slot(f['key'])}": True for f in instance.fields},
                **{f"require_{_slot(f['key'])}": f["required"] for f in instance.fields},
            }
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = Source.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by(  # type: ignore[attr-defined]
            "username"
        )
        self.choices: list[FieldChoice] = available_fields()
        if instance is not None:
            order = [f["key"] for f in instance.fields]
            self.choices.sort(key=lambda c: order.index(c.key) if c.key in order else len(order))
        for choice in self.choices:
            slot = _slot(choice.key)
            self.fields[f"include_{slot}"] = forms.BooleanField(label=choice.label, required=False)
            self.fields[f"require_{slot}"] = forms.BooleanField(label=_("required"), required=False)
        if instance is None and not self.is_bound:
            for key in ("first_name", "email", "phone", "message"):
                self.fields[f"include_{key}"].initial = True
            self.fields["require_first_name"].initial = True

    def field_rows(self) -> list[tuple[FieldChoice, forms.BoundField, forms.BoundField]]:
        """(choice, include box, required box) per available field, for the template."""
        return [
            (c, self[f"include_{_slot(c.key)}"], self[f"require_{_slot(c.key)}"])
            for c in self.choices
        ]

    def to_input(self) -> WebFormInput:
        data = self.cleaned_data
        return WebFormInput(
            name=data["name"],
            fields=[
                (c.key, bool(data.get(f"require_{_slot(c.key)}")))
                for c in self.choices
                if data.get(f"include_{_slot(c.key)}")
            ],
            thank_you_text=data["thank_you_text"],
            owner=data["owner"],
            consent_channels=data["consent_channels"],
            consent_text=data["consent_text"],
            redirect_url=data["redirect_url"],
            allowed_origins=data["allowed_origins"],
            source=data["source"],
            tags=[t for t in data["tags"].split(",") if t.strip()],
            rate_limit=data["rate_limit"],
            is_active=data["is_active"],
        )
