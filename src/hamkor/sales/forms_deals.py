"""Forms for deals: they parse what was typed; the services validate and save."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hamkor.accounts.models import User
from hamkor.accounts.selectors import list_assignable_users
from hamkor.contacts.forms.common import version_field
from hamkor.contacts.forms.pickers import CompanyPickerField, ContactPickerField
from hamkor.contacts.selectors import list_companies, list_contacts
from hamkor.sales.models import Deal, Pipeline
from hamkor.sales.selectors.deals import list_pipelines, list_stages

CURRENCIES = ("UZS", "KGS", "KZT", "RUB", "USD", "EUR")


def _model_choice(form: forms.Form, name: str) -> forms.ModelChoiceField[Any]:
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


class DealForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    # Search-as-you-type: a select of 80,000 contacts is unusable and slow to render.
    contact = ContactPickerField(label=_("Contact"), required=False)
    company = CompanyPickerField(label=_("Company"), required=False)
    pipeline: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Pipeline"), queryset=None, empty_label=None
    )
    amount = forms.DecimalField(
        label=_("Amount"), min_value=Decimal(0), max_digits=16, decimal_places=2, initial=0
    )
    currency = forms.ChoiceField(label=_("Currency"))
    expected_close_date = forms.DateField(
        label=_("Expected close date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Owner"), queryset=None, required=False
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 3}))
    version = version_field()

    def __init__(self, *args: Any, viewer: User, deal: Deal | None = None, **kwargs: Any) -> None:
        if deal is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": deal.title,
                    "contact": deal.contact_id,
                    "company": deal.company_id,
                    "pipeline": deal.pipeline_id,
                    "amount": deal.amount,
                    "currency": deal.currency,
                    "expected_close_date": deal.expected_close_date,
                    "owner": deal.owner_id,
                    "notes": deal.notes,
                    "version": deal.version,
                },
            )
        super().__init__(*args, **kwargs)
        self.initial.setdefault("currency", settings.HAMKOR_DEFAULT_CURRENCY)
        self.initial.setdefault("owner", viewer.pk)
        _model_choice(self, "contact").queryset = list_contacts(viewer=viewer)
        _model_choice(self, "company").queryset = list_companies(viewer=viewer)
        _model_choice(self, "pipeline").queryset = list_pipelines()
        _model_choice(self, "owner").queryset = list_assignable_users(viewer=viewer)
        codes = list(CURRENCIES)
        current = str(self.initial.get("currency") or "")
        if current and current not in codes:
            codes.append(current)
        cast(forms.ChoiceField, self.fields["currency"]).choices = [(c, c) for c in codes]
        if deal is not None:
            # The pipeline changes by moving the deal, which keeps the history.
            del self.fields["pipeline"]

    def values(self) -> dict[str, Any]:
        """What the services expect: model instances and plain values by field name."""
        values = dict(self.cleaned_data)
        values.pop("version", None)
        return values

    def expected_version(self) -> int | None:
        """The version the user started editing from; None when the page did not say."""
        version: int | None = self.cleaned_data.get("version")
        return version


class MoveForm(forms.Form):
    stage: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=pgettext_lazy("deal stage", "Stage"), queryset=None, empty_label=None
    )
    lost_reason = forms.CharField(
        label=_("Why was it lost?"),
        max_length=255,
        required=False,
        help_text=_("Needed when the deal moves to a lost stage."),
    )

    def __init__(self, *args: Any, pipeline: Pipeline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "stage").queryset = list_stages(pipeline=pipeline)
