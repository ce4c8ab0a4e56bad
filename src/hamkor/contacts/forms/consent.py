"""The form that records a contact's channel consent."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from hamkor.contacts.models import ConsentChannel, ConsentMethod


class ConsentForm(forms.Form):
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=ConsentChannel.choices)
    granted = forms.TypedChoiceField(
        label=gettext_lazy("Consent"),
        coerce=lambda value: value == "yes",
        choices=[("yes", gettext_lazy("Agrees")), ("no", gettext_lazy("Does not agree"))],
    )
    method = forms.ChoiceField(label=gettext_lazy("How"), choices=ConsentMethod.choices)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The detail page also holds the interaction form, whose "channel" would share the id.
        kwargs.setdefault("auto_id", "consent_%s")
        super().__init__(*args, **kwargs)
