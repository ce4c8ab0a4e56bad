"""The interaction form: parses what the user typed; services validate and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamkor.activities.models import Channel, Direction, Interaction, Outcome

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class InteractionForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    direction = forms.ChoiceField(
        label=_("Direction"), choices=Direction.choices, initial=Direction.OUT
    )
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *Outcome.choices], required=False
    )
    occurred_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        help_text=_("Leave empty for now."),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )

    @classmethod
    def for_interaction(cls, interaction: Interaction) -> InteractionForm:
        """An unbound form showing an interaction's current values in the user's time zone."""
        return cls(
            initial={
                "channel": interaction.channel,
                "direction": interaction.direction,
                "subject": interaction.subject,
                "body": interaction.body,
                "outcome": interaction.outcome,
                "occurred_at": timezone.localtime(interaction.occurred_at),
            }
        )

    def values(self) -> dict[str, Any]:
        """The cleaned values in the shape the activities services take."""
        data = self.cleaned_data
        values: dict[str, Any] = {
            name: data[name] for name in ("channel", "direction", "subject", "body", "outcome")
        }
        # An empty "when" means now; the service's default fills it in.
        if data.get("occurred_at"):
            values["occurred_at"] = data["occurred_at"]
        return values
