"""The "Send message" form on the contact card."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hamkor.messaging.models import Channel, Kind
from hamkor.messaging.selectors import list_template_choices

KIND_CHOICES = [
    (Kind.TRANSACTIONAL.value, _("Service message or reply (sent now)")),
    (Kind.MARKETING.value, _("Marketing (only inside the customer's allowed hours)")),
]


class SendMessageForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    kind = forms.ChoiceField(label=_("Purpose"), choices=KIND_CHOICES, initial=Kind.TRANSACTIONAL)
    template = forms.ChoiceField(label=_("Template"), required=False)
    subject = forms.CharField(label=_("Subject"), max_length=255, required=False)
    body = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("You can use {{ contact.first_name }} and {{ owner.name }}."),
    )
    # One key per opened form: a double click or a resubmitted form sends once.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The contact card also holds the log-an-interaction form, whose fields share these
        # names; distinct ids keep each label tied to its own input.
        kwargs.setdefault("auto_id", "message_%s")
        super().__init__(*args, **kwargs)
        choices = [("", _("— free text —")), *list_template_choices()]
        template_field = self.fields["template"]
        assert isinstance(template_field, forms.ChoiceField)  # noqa: S101 - declared above
        template_field.choices = choices
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
