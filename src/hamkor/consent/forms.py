"""The form staff use to record consent or its withdrawal on the history page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hamkor.consent.models import Channel, Purpose
from hamkor.contacts.models import ConsentMethod


class RecordConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    granted = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("Gives consent")), ("no", _("Withdraws consent"))],
    )
    method = forms.ChoiceField(label=_("How"), choices=ConsentMethod.choices)
    text_shown = forms.CharField(
        label=_("Text shown"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The exact wording the customer agreed to (required when consent is given)."),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    recorded_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now."),
    )
