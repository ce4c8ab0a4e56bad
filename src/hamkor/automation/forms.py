"""Forms of the rule builder (trigger, condition rows, action rows) and the webhook form."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hamkor.accounts.models import Role, User
from hamkor.activities.models import Channel as InteractionChannel
from hamkor.automation.models import Rule, Trigger, WebhookEndpoint
from hamkor.automation.services.spec import (
    ACTIONS,
    ASSIGN_TO,
    DATE_KINDS,
    EARLIEST_HOUR,
    FIELD_CHANGE_RECORDS,
    LATEST_HOUR,
    OPERATORS,
    RECORD_LABELS,
)
from hamkor.contacts.models import ConsentChannel, Stage
from hamkor.sales.models import PipelineStage

# Which trigger settings each trigger shows (form field names without the "tp_" prefix).
TRIGGER_FIELDS: dict[str, tuple[str, ...]] = {
    Trigger.RECORD_CREATED: ("record",),
    Trigger.FIELD_CHANGED: ("record", "field", "to"),
    Trigger.DEAL_STAGE_CHANGED: ("to_stage", "outcome"),
    Trigger.ORDER_PAID: (),
    Trigger.TICKET_STATUS_CHANGED: ("status",),
    Trigger.INTERACTION_LOGGED: ("channel", "first_of_channel"),
    Trigger.EVENT: ("verb",),
    Trigger.DATE_REACHED: ("date", "days_before", "hour"),
    Trigger.NO_INTERACTION: ("days", "hour"),
    Trigger.ACTIVITY_OVERDUE: ("hours",),
}
# Which fields an action row shows for each action type.
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "send_message": ("channel", "template", "subject", "body"),
    "create_task": ("kind", "task_subject", "due_in_days", "assign", "user", "role"),
    "assign_owner": ("assign", "user", "role"),
    "add_tag": ("tag",),
    "set_stage": ("stage",),
    "move_deal": ("deal_stage",),
    "webhook": ("endpoint",),
    "start_project": ("workflow_template",),
}
FIELD_SUGGESTIONS = (
    "city",
    "stage",
    "language",
    "job_title",
    "source",
    "owner",
    "birthday",
    "amount",
    "currency",
    "status",
    "total",
    "channel",
    "contact.city",
    "contact.stage",
    "contact.language",
)


def _stage_choices() -> list[tuple[str, str]]:
    stages = PipelineStage.objects.select_related("pipeline").order_by(
        "pipeline__name", "position", "id"
    )
    return [("", "—")] + [(str(s.pk), f"{s.pipeline.name}: {s.name}") for s in stages]


def _user_choices() -> list[tuple[str, str]]:
    users = User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")
    return [("", "—")] + [(str(u.pk), str(u)) for u in users]


def _endpoint_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [
        (str(e.pk), e.name) for e in WebhookEndpoint.objects.order_by("name", "id")
    ]


def _workflow_template_choices() -> list[tuple[str, str]]:
    from hamkor.projects.selectors.workflows import list_templates

    return [("", "—")] + [(str(t.pk), t.name) for t in list_templates(active_only=True)]


def _choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    field = form.fields[name]
    if isinstance(field, forms.ChoiceField):
        field.choices = choices


class RuleForm(forms.Form):
    """The rule's name and trigger; trigger settings are prefixed ``tp_``."""

    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), max_length=255, required=False)
    trigger = forms.ChoiceField(label=_("When"), choices=Trigger.choices)
    tp_record = forms.ChoiceField(
        label=pgettext_lazy("record type", "Record"),
        required=False,
        choices=[("", "—"), *RECORD_LABELS.items()],
    )
    tp_field = forms.CharField(
        label=_("Field"),
        required=False,
        help_text=_("For example stage, city, owner or custom_fields.<key>."),
        widget=forms.TextInput(attrs={"list": "rule-fields", "autocomplete": "off"}),
    )
    tp_to = forms.CharField(
        label=_("Changed to"), required=False, help_text=_("Leave empty for any new value.")
    )
    tp_to_stage = forms.ChoiceField(label=_("Moved to stage"), required=False)
    tp_outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("Any")), ("open", _("Open")), ("won", _("Won")), ("lost", _("Lost"))],
    )
    tp_status = forms.CharField(label=_("New status"), required=False)
    tp_channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any")), *InteractionChannel.choices]
    )
    tp_first_of_channel = forms.BooleanField(
        label=_("Only the customer's first on this channel"), required=False
    )
    tp_verb = forms.CharField(
        label=_("Event"), required=False, help_text=_("For example contact.created.")
    )
    tp_date = forms.ChoiceField(
        label=_("Date"), required=False, choices=[(k, v) for k, v in DATE_KINDS.items()]
    )
    tp_days_before = forms.IntegerField(
        label=_("Days before"), required=False, min_value=0, max_value=60, initial=0
    )
    tp_hour = forms.IntegerField(
        label=_("From (hour, customer's time)"),
        required=False,
        min_value=EARLIEST_HOUR,
        max_value=LATEST_HOUR,
        initial=9,
    )
    tp_days = forms.IntegerField(
        label=_("Days without interaction"), required=False, min_value=1, max_value=3650
    )
    tp_hours = forms.IntegerField(
        label=_("Hours overdue"), required=False, min_value=0, max_value=720, initial=0
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "tp_to_stage", _stage_choices())
        if self.current_trigger() == Trigger.FIELD_CHANGED:
            records = [(k, RECORD_LABELS[k]) for k in FIELD_CHANGE_RECORDS]
            _choices(self, "tp_record", [("", "—"), *records])

    def current_trigger(self) -> str:
        """The trigger chosen (typed, or the initial one) for showing its settings."""
        if self.is_bound:
            return str(self.data.get(self.add_prefix("trigger"), ""))
        return str(self.initial.get("trigger", Trigger.RECORD_CREATED))

    def trigger_fields(self) -> list[forms.BoundField]:
        """The settings fields of the chosen trigger, in order."""
        return [self[f"tp_{name}"] for name in TRIGGER_FIELDS.get(self.current_trigger(), ())]

    def trigger_params(self) -> dict[str, Any]:
        """The chosen trigger's settings, as the service expects them."""
        data = self.cleaned_data
        params: dict[str, Any] = {}
        for name in TRIGGER_FIELDS.get(data.get("trigger", ""), ()):
            value = data.get(f"tp_{name}")
            if value not in (None, ""):
                params[name] = value
        return params

    @classmethod
    def initial_for(cls, rule: Rule) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": rule.name,
            "description": rule.description,
            "trigger": rule.trigger,
        }
        for name, value in (rule.trigger_params or {}).items():
            initial[f"tp_{name}"] = value
        return initial


class ConditionForm(forms.Form):
    field = forms.CharField(
        label=_("Field"),
        required=False,
        widget=forms.TextInput(attrs={"list": "rule-fields", "autocomplete": "off"}),
    )
    op = forms.ChoiceField(label=_("Comparison"), choices=list(OPERATORS.items()))
    value = forms.CharField(
        label=_("Value"),
        required=False,
        help_text=_("A segment: tag=vip&stage=customer&custom.<key>=value."),
    )

    def to_condition(self) -> dict[str, str]:
        return {k: str(self.cleaned_data.get(k) or "") for k in ("field", "op", "value")}


class ActionForm(forms.Form):
    type = forms.ChoiceField(label=_("Do"), choices=list(ACTIONS.items()))
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=ConsentChannel.choices)
    template = forms.SlugField(
        label=_("Message template"),
        required=False,
        help_text=_("The template key; the customer's language picks the version."),
    )
    subject = forms.CharField(label=_("Subject (email)"), required=False, max_length=255)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Used when there is no template. {{ contact.first_name }} and similar work."),
    )
    kind = forms.ChoiceField(
        label=_("Activity type"),
        required=False,
        choices=[
            ("task", _("Task")),
            ("follow_up", _("Follow-up")),
            ("call", _("Call")),
            ("meeting", _("Meeting")),
        ],
    )
    task_subject = forms.CharField(label=_("What to do"), required=False, max_length=200)
    due_in_days = forms.IntegerField(
        label=_("Due in days"), required=False, min_value=0, max_value=365, initial=0
    )
    assign = forms.ChoiceField(label=_("For"), required=False, choices=list(ASSIGN_TO.items()))
    user = forms.ChoiceField(label=_("User"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", "—"), *Role.choices])
    tag = forms.CharField(label=_("Tag"), required=False, max_length=50)
    stage = forms.ChoiceField(label=_("Lifecycle stage"), required=False, choices=Stage.choices)
    deal_stage = forms.ChoiceField(label=_("Deal stage"), required=False)
    endpoint = forms.ChoiceField(label=_("Webhook"), required=False)
    workflow_template = forms.ChoiceField(label=_("Workflow template"), required=False)
    # Settings the form does not edit (texts per language of a ready-made rule), kept as is.
    extra = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (
            ("user", _user_choices()),
            ("deal_stage", _stage_choices()),
            ("endpoint", _endpoint_choices()),
            ("workflow_template", _workflow_template_choices()),
        ):
            _choices(self, name, choices)

    def current_type(self) -> str:
        if self.is_bound:
            return str(self.data.get(self.add_prefix("type"), "")) or "add_tag"
        return str(self.initial.get("type", "add_tag"))

    def type_fields(self) -> list[forms.BoundField]:
        """The fields of the chosen action type, in order."""
        return [self[name] for name in ACTION_FIELDS.get(self.current_type(), ())]

    def to_action(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = data.get("type", "")
        action: dict[str, Any] = {"type": kind}
        for name in ACTION_FIELDS.get(kind, ()):
            value = data.get(name)
            if value in (None, ""):
                continue
            key = {"task_subject": "subject", "deal_stage": "stage"}.get(name, name)
            action[key] = value
        try:
            extra = json.loads(data.get("extra") or "{}")
        except ValueError:
            extra = {}
        if isinstance(extra, dict):
            for key, value in extra.items():
                action.setdefault(key, value)
        return action

    @classmethod
    def initial_for(cls, action: Mapping[str, Any]) -> dict[str, Any]:
        kind = str(action.get("type", ""))
        initial: dict[str, Any] = {"type": kind}
        shown = set(ACTION_FIELDS.get(kind, ()))
        extra: dict[str, Any] = {}
        for key, value in action.items():
            if key == "type":
                continue
            name = key
            if kind == "create_task" and key == "subject":
                name = "task_subject"
            elif kind == "move_deal" and key == "stage":
                name = "deal_stage"
            if name in shown:
                initial[name] = value
            else:
                extra[key] = value
        if extra:
            initial["extra"] = json.dumps(extra, ensure_ascii=False)
        return initial


ConditionFormSet = forms.formset_factory(ConditionForm, extra=0, can_delete=True)
ActionFormSet = forms.formset_factory(ActionForm, extra=0, can_delete=True, min_num=0)


class WebhookForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    secret = forms.CharField(
        label=_("Secret"),
        required=False,
        max_length=128,
        help_text=_("At least 16 characters; leave empty on a new webhook for a random one."),
    )
    events = forms.CharField(
        label=_("Events"),
        required=False,
        help_text=_("Comma-separated, for example contact.created, deal.moved; * for all."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def event_list(self) -> list[str]:
        return [e.strip() for e in self.cleaned_data.get("events", "").split(",") if e.strip()]
