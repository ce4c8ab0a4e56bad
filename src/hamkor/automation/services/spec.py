"""What a rule may say: trigger settings, conditions and actions, and how each is checked.

Rules store these as JSON; ``clean_trigger``, ``clean_conditions`` and ``clean_actions``
return the normalised form or raise ValidationError naming the row to fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamkor.accounts.models import Role
from hamkor.automation.models import Trigger
from hamkor.contacts.models import ConsentChannel, ImportantDate, Language, Stage

# Records a trigger can watch: the short name used in verbs -> the model label.
RECORDS = {
    "contact": "contacts.contact",
    "company": "contacts.company",
    "deal": "sales.deal",
    "order": "sales.order",
    "interaction": "activities.interaction",
    "activity": "activities.activity",
}
RECORD_LABELS = {
    "contact": gettext_lazy("Contact"),
    "company": gettext_lazy("Company"),
    "deal": gettext_lazy("Deal"),
    "order": gettext_lazy("Order"),
    "interaction": gettext_lazy("Interaction"),
    "activity": gettext_lazy("Activity"),
}
# Records whose updates say which fields changed (old and new value).
FIELD_CHANGE_RECORDS = ("contact", "company", "deal")
DATE_KINDS = {
    "birthday": gettext_lazy("Birthday"),
    **{kind.value: kind.label for kind in ImportantDate.Kind},
}
# Time triggers fire only between this hour and the end of the quiet-hours window.
EARLIEST_HOUR, LATEST_HOUR = 8, 19

OPERATORS = {
    "equals": gettext_lazy("equals"),
    "not_equals": gettext_lazy("does not equal"),
    "contains": gettext_lazy("contains"),
    "greater": gettext_lazy("is greater than"),
    "less": gettext_lazy("is less than"),
    "is_empty": gettext_lazy("is empty"),
    "is_not_empty": gettext_lazy("is not empty"),
    "has_tag": gettext_lazy("has the tag"),
    "lacks_tag": gettext_lazy("does not have the tag"),
    "in_segment": gettext_lazy("is in the segment"),
}
NO_FIELD_OPERATORS = frozenset({"has_tag", "lacks_tag", "in_segment"})
NO_VALUE_OPERATORS = frozenset({"is_empty", "is_not_empty"})

ACTIONS = {
    "send_message": gettext_lazy("Send a message"),
    "create_task": gettext_lazy("Create an activity"),
    "assign_owner": gettext_lazy("Assign an owner"),
    "add_tag": gettext_lazy("Add a tag"),
    "set_stage": gettext_lazy("Change the lifecycle stage"),
    "move_deal": gettext_lazy("Move the deal to a stage"),
    "webhook": gettext_lazy("Call a webhook"),
    "start_project": gettext_lazy("Start a project from a template"),
}
ASSIGN_TO = {
    "record_owner": gettext_lazy("The record's owner"),
    "user": gettext_lazy("A chosen user"),
    "role": gettext_lazy("Someone with a role (the owner if they have it, else in turn)"),
}
ACTIVITY_KINDS = ("call", "meeting", "task", "follow_up")
_VERB = re.compile(r"^[a-z_]+\.[a-z_]+$")


def verb_for(trigger: str, params: Mapping[str, Any]) -> str:
    """The audit verb an event trigger listens to; "" for time triggers."""
    record = str(params.get("record", ""))
    verbs = {
        Trigger.RECORD_CREATED: f"{record}.created",
        Trigger.FIELD_CHANGED: f"{record}.updated",
        Trigger.DEAL_STAGE_CHANGED: "deal.moved",
        Trigger.ORDER_PAID: "order.status_changed",
        # Tickets come with the support app; the rule waits for their events until then.
        Trigger.TICKET_STATUS_CHANGED: "ticket.status_changed",
        Trigger.INTERACTION_LOGGED: "interaction.created",
        Trigger.EVENT: str(params.get("verb", "")),
    }
    return verbs.get(Trigger(trigger), "")


def _int(value: Any, *, low: int, high: int, message: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(message) from None
    if not low <= number <= high:
        raise ValidationError(message)
    return number


def _text(params: Mapping[str, Any], name: str) -> str:
    return str(params.get(name) or "").strip()


def clean_trigger(trigger: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Normalised trigger settings; raises ValidationError({"trigger_params": ...})."""
    if trigger not in Trigger.values:
        raise ValidationError({"trigger": _("Choose what starts the rule.")})
    try:
        return _clean_trigger(Trigger(trigger), params)
    except ValidationError as error:
        raise ValidationError({"trigger_params": error.messages}) from None


def _clean_trigger(trigger: Trigger, params: Mapping[str, Any]) -> dict[str, Any]:
    if trigger == Trigger.RECORD_CREATED:
        record = _text(params, "record")
        if record not in RECORDS:
            raise ValidationError(_("Choose which kind of record."))
        return {"record": record}
    if trigger == Trigger.FIELD_CHANGED:
        record = _text(params, "record")
        if record not in FIELD_CHANGE_RECORDS:
            raise ValidationError(_("Choose a contact, company or deal."))
        field = _text(params, "field")
        if not field:
            raise ValidationError(_("Name the field to watch, for example “stage”."))
        cleaned: dict[str, Any] = {"record": record, "field": field}
        if _text(params, "to"):
            cleaned["to"] = _text(params, "to")
        return cleaned
    if trigger == Trigger.DEAL_STAGE_CHANGED:
        cleaned = {}
        if params.get("to_stage") not in (None, ""):
            cleaned["to_stage"] = _int(
                params["to_stage"], low=1, high=2**62, message=_("Choose a stage.")
            )
        if _text(params, "outcome"):
            if _text(params, "outcome") not in ("open", "won", "lost"):
                raise ValidationError(_("Choose open, won or lost."))
            cleaned["outcome"] = _text(params, "outcome")
        return cleaned
    if trigger == Trigger.TICKET_STATUS_CHANGED:
        return {"status": _text(params, "status")} if _text(params, "status") else {}
    if trigger == Trigger.INTERACTION_LOGGED:
        cleaned = {}
        if _text(params, "channel"):
            cleaned["channel"] = _text(params, "channel")
        if params.get("first_of_channel"):
            cleaned["first_of_channel"] = True
        return cleaned
    if trigger == Trigger.EVENT:
        verb = _text(params, "verb")
        if not _VERB.match(verb):
            raise ValidationError(_("Enter an event name such as “contact.created”."))
        return {"verb": verb}
    if trigger == Trigger.DATE_REACHED:
        kind = _text(params, "date") or "birthday"
        if kind not in DATE_KINDS:
            raise ValidationError(_("Choose which date."))
        return {
            "date": kind,
            "days_before": _int(
                params.get("days_before") or 0,
                low=0,
                high=60,
                message=_("Days before must be a whole number from 0 to 60."),
            ),
            "hour": _hour(params),
        }
    if trigger == Trigger.NO_INTERACTION:
        return {
            "days": _int(
                params.get("days"),
                low=1,
                high=3650,
                message=_("Days must be a whole number from 1 to 3650."),
            ),
            "hour": _hour(params),
        }
    if trigger == Trigger.ACTIVITY_OVERDUE:
        return {
            "hours": _int(
                params.get("hours") or 0,
                low=0,
                high=720,
                message=_("Hours must be a whole number from 0 to 720."),
            )
        }
    return {}


def _hour(params: Mapping[str, Any]) -> int:
    return _int(
        params.get("hour") if params.get("hour") not in (None, "") else 9,
        low=EARLIEST_HOUR,
        high=LATEST_HOUR,
        message=_("Choose an hour from %(low)d to %(high)d, the customer's local time.")
        % {"low": EARLIEST_HOUR, "high": LATEST_HOUR},
    )


def parse_segment(value: str) -> dict[str, Any]:
    """A segment written as ``tag=vip&stage=customer&custom.flavour=chocolate``."""
    query = QueryDict(value.strip().lstrip("?"))
    segment: dict[str, Any] = {
        "tag": query.get("tag", "").strip(),
        "stage": query.get("stage", "").strip(),
        "custom": {
            key.removeprefix("custom."): query[key].strip()
            for key in query
            if key.startswith("custom.") and query[key].strip()
        },
    }
    unknown = [k for k in query if k not in ("tag", "stage") and not k.startswith("custom.")]
    if unknown:
        raise ValidationError(
            _("A segment uses tag, stage and custom.<field>; remove %(names)s.")
            % {"names": ", ".join(sorted(unknown))}
        )
    if segment["stage"] and segment["stage"] not in Stage.values:
        raise ValidationError(
            _("Unknown stage “%(value)s”. Use one of: %(choices)s.")
            % {"value": segment["stage"], "choices": ", ".join(Stage.values)}
        )
    if not (segment["tag"] or segment["stage"] or segment["custom"]):
        raise ValidationError(_("Describe the segment, for example tag=vip&stage=customer."))
    return segment


def clean_conditions(conditions: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Normalised condition rows; raises ValidationError({"conditions": ...})."""
    cleaned: list[dict[str, str]] = []
    errors: list[str] = []
    for row, condition in enumerate(conditions, start=1):
        field = _text(condition, "field")
        op = _text(condition, "op")
        value = str(condition.get("value") or "").strip()
        problem = ""
        if op not in OPERATORS:
            problem = _("choose a comparison.")
        elif op not in NO_FIELD_OPERATORS and not field:
            problem = _("name the field to compare.")
        elif op not in NO_VALUE_OPERATORS and not value:
            problem = _("enter the value to compare with.")
        elif op == "in_segment":
            try:
                parse_segment(value)
            except ValidationError as error:
                problem = " ".join(error.messages)
        if problem:
            errors.append(_("Condition %(row)d: %(problem)s") % {"row": row, "problem": problem})
            continue
        cleaned.append(
            {"field": "" if op in NO_FIELD_OPERATORS else field, "op": op, "value": value}
        )
    if errors:
        raise ValidationError({"conditions": errors})
    return cleaned


def clean_actions(actions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Normalised action rows in order; raises ValidationError({"actions": ...})."""
    cleaned: list[dict[str, Any]] = []
    errors: list[str] = []
    for row, action in enumerate(actions, start=1):
        try:
            cleaned.append(_clean_action(action))
        except ValidationError as error:
            errors.append(
                _("Action %(row)d: %(problem)s") % {"row": row, "problem": " ".join(error.messages)}
            )
    if not actions:
        errors.append(_("Add at least one action."))
    if errors:
        raise ValidationError({"actions": errors})
    return cleaned


def _assignee(action: Mapping[str, Any], *, allow_record_owner: bool) -> dict[str, Any]:
    from hamkor.accounts.models import User

    assign = _text(action, "assign") or ("record_owner" if allow_record_owner else "user")
    if assign not in ASSIGN_TO or (assign == "record_owner" and not allow_record_owner):
        raise ValidationError(_("choose who gets it."))
    if assign == "user":
        user_id = _int(action.get("user"), low=1, high=2**62, message=_("choose a user."))
        if not User.objects.filter(pk=user_id, is_active=True).exists():
            raise ValidationError(_("choose an active user."))
        return {"assign": assign, "user": user_id}
    if assign == "role":
        role = _text(action, "role")
        if role not in Role.values:
            raise ValidationError(_("choose a role."))
        return {"assign": assign, "role": role}
    return {"assign": assign}


def _bodies(value: Any) -> dict[str, str]:
    """Texts per customer language (``{"ru": "...", "uz": "..."}``), used without a template."""
    if not value:
        return {}
    if not isinstance(value, Mapping) or not set(value) <= set(Language.values):
        raise ValidationError(
            _("texts per language are keyed by %(codes)s.") % {"codes": ", ".join(Language.values)}
        )
    return {str(k): str(v).strip() for k, v in value.items() if str(v).strip()}


def _clean_action(action: Mapping[str, Any]) -> dict[str, Any]:
    kind = _text(action, "type")
    if kind not in ACTIONS:
        raise ValidationError(_("choose what to do."))
    if kind == "send_message":
        channel = _text(action, "channel")
        if channel not in ConsentChannel.values:
            raise ValidationError(_("choose email, SMS or Telegram."))
        template, body = _text(action, "template"), str(action.get("body") or "").strip()
        bodies = _bodies(action.get("bodies"))
        if not template and not body and not bodies:
            raise ValidationError(_("choose a message template or write the text."))
        cleaned: dict[str, Any] = {"type": kind, "channel": channel}
        if template:
            cleaned["template"] = template
        if body or bodies:
            cleaned["subject"] = _text(action, "subject")
        if body:
            cleaned["body"] = body
        if bodies:
            cleaned["bodies"] = bodies
        return cleaned
    if kind == "create_task":
        activity_kind = _text(action, "kind") or "task"
        if activity_kind not in ACTIVITY_KINDS:
            raise ValidationError(_("choose call, meeting, task or follow-up."))
        subject = _text(action, "subject")
        if not subject:
            raise ValidationError(_("write what has to be done."))
        return {
            "type": kind,
            "kind": activity_kind,
            "subject": subject[:200],
            "due_in_days": _int(
                action.get("due_in_days") or 0,
                low=0,
                high=365,
                message=_("the due date is 0 to 365 days away."),
            ),
            **_assignee(action, allow_record_owner=True),
        }
    if kind == "assign_owner":
        return {"type": kind, **_assignee(action, allow_record_owner=False)}
    if kind == "add_tag":
        tag = _text(action, "tag")
        if not tag or len(tag) > 50:
            raise ValidationError(_("enter a tag of up to 50 characters."))
        return {"type": kind, "tag": tag}
    if kind == "set_stage":
        stage = _text(action, "stage")
        if stage not in Stage.values:
            raise ValidationError(_("choose a lifecycle stage."))
        return {"type": kind, "stage": stage}
    if kind == "move_deal":
        from hamkor.sales.models import PipelineStage

        stage_id = _int(action.get("stage"), low=1, high=2**62, message=_("choose a stage."))
        if not PipelineStage.objects.filter(pk=stage_id).exists():
            raise ValidationError(_("choose a stage."))
        return {"type": kind, "stage": stage_id}
    if kind == "start_project":
        from hamkor.projects.models import WorkflowTemplate

        template_id = _int(
            action.get("workflow_template"),
            low=1,
            high=2**62,
            message=_("choose a workflow template."),
        )
        if not WorkflowTemplate.objects.filter(pk=template_id, is_active=True).exists():
            raise ValidationError(_("choose an active workflow template."))
        return {"type": kind, "workflow_template": template_id}
    from hamkor.automation.models import WebhookEndpoint

    endpoint = _int(action.get("endpoint"), low=1, high=2**62, message=_("choose a webhook."))
    if not WebhookEndpoint.objects.filter(pk=endpoint).exists():
        raise ValidationError(_("choose a webhook."))
    return {"type": kind, "endpoint": endpoint}
