"""Interaction and activity forms: parse what the user typed; services validate and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamkor.accounts.models import User
from hamkor.activities.models import (
    Activity,
    ActivityKind,
    ActivityOutcome,
    Channel,
    Direction,
    Interaction,
    Outcome,
)
from hamkor.activities.services.activities import ACTIVITY_FIELDS

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


# --- planned activities ------------------------------------------------------------------

REMINDER_CHOICES = [
    ("", _("No reminder")),
    ("0", _("At the due time")),
    ("5", _("5 minutes before")),
    ("15", _("15 minutes before")),
    ("30", _("30 minutes before")),
    ("60", _("1 hour before")),
    ("1440", _("1 day before")),
]
DATETIME_INPUTS = [DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def _due_field(label: Any, *, required: bool = True) -> forms.DateTimeField:
    # Naive input is read in the current time zone, which the middleware sets to the user's.
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=DATETIME_INPUTS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=ActivityKind.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    due_at = _due_field(_("When"))
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=0, max_value=60 * 24 * 31, initial=30
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    remind_minutes_before = forms.TypedChoiceField(
        label=_("Reminder"),
        choices=REMINDER_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        initial="15",
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]

    @classmethod
    def for_activity(cls, activity: Activity, *, owners: Any) -> ActivityForm:
        """An unbound form with the activity's values, times in the user's time zone."""
        reminder = activity.remind_minutes_before
        return cls(
            owners=owners,
            initial={
                "kind": activity.kind,
                "subject": activity.subject,
                "due_at": timezone.localtime(activity.due_at),
                "duration_minutes": activity.duration_minutes,
                "location": activity.location,
                "note": activity.note,
                "remind_minutes_before": "" if reminder is None else str(reminder),
                "owner": activity.owner_id,
            },
        )

    def values(self) -> dict[str, Any]:
        """The cleaned values in the shape the activity services take (owner apart)."""
        return {name: self.cleaned_data[name] for name in ACTIVITY_FIELDS}


class CompleteForm(forms.Form):
    """The outcome of an activity and, optionally, the follow-up planned in the same step."""

    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ActivityOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    follow_up = forms.BooleanField(label=_("Plan a follow-up"), required=False)
    follow_up_kind = forms.ChoiceField(
        label=_("Follow-up type"),
        choices=ActivityKind.choices,
        initial=ActivityKind.FOLLOW_UP,
        required=False,
    )
    follow_up_subject = forms.CharField(
        label=_("Follow-up subject"), max_length=200, required=False
    )
    follow_up_due_at = _due_field(_("Follow-up when"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("follow_up") and not data.get("follow_up_due_at"):
            self.add_error("follow_up_due_at", _("Say when the follow-up is due."))
        if data.get("outcome") == ActivityOutcome.RESCHEDULED and not data.get("follow_up"):
            self.add_error("follow_up", _("A rescheduled activity needs the new time."))
        return data

    def follow_up_values(self) -> dict[str, Any] | None:
        """The follow-up's values for complete_activity, or None when none is planned."""
        data = self.cleaned_data
        if not data.get("follow_up"):
            return None
        values: dict[str, Any] = {
            "kind": data.get("follow_up_kind") or ActivityKind.FOLLOW_UP,
            "due_at": data["follow_up_due_at"],
        }
        if data.get("follow_up_subject"):
            values["subject"] = data["follow_up_subject"]
        return values
