"""What a rule does, one function per action type, through the owning apps' services.

Each returns a short sentence for the run log, raises ``ActionSkipped`` when there is
nothing to do for this record, and lets ValidationError/PermissionDenied mean "failed".
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.automation.models import Rule
from hamkor.automation.services.conditions import subject_contact
from hamkor.contacts.models import Company, Contact


class ActionSkipped(Exception):
    """Nothing to do for this record (say why); the run goes on with the next action."""


@dataclass(frozen=True)
class Occurrence:
    """One thing that happened to one record; ``key`` is unique per rule and occurrence."""

    key: str
    target: models.Model
    verb: str = ""
    event_id: int | None = None
    data: Mapping[str, Any] | None = None

    @property
    def contact(self) -> Contact | None:
        return subject_contact(self.target)


def _actor(rule: Rule) -> User:
    # Work done by a rule is system work: the audit trail shows no person (None).
    return cast(User, rule.owner if rule.owner_id else None)


def _record_owner(target: models.Model) -> User | None:
    owner = getattr(target, "owner", None)
    if isinstance(owner, User):
        return owner
    contact = subject_contact(target)
    return contact.owner if contact is not None and contact.owner_id else None


def _next_in_turn(*, key: str, role: str) -> User:
    from hamkor.automation.models import RoundRobin

    users = list(User.objects.filter(role=role, is_active=True).order_by("id"))
    if not users:
        raise ValidationError(_("Nobody active has the role “%(role)s”.") % {"role": role})
    turn, _created = RoundRobin.objects.select_for_update().get_or_create(key=key)
    following = [u for u in users if turn.last_user_id is None or u.pk > turn.last_user_id]
    chosen = (following or users)[0]
    turn.last_user_id = chosen.pk
    turn.save(update_fields=["last_user_id"])
    return chosen


def _assignee(rule: Rule, action: Mapping[str, Any], target: models.Model) -> User:
    assign = action.get("assign", "record_owner")
    if assign == "user":
        user = User.objects.filter(pk=action["user"], is_active=True).first()
        if user is None:
            raise ValidationError(_("The chosen user no longer exists or is inactive."))
        return user
    owner = _record_owner(target)
    if assign == "role":
        if owner is not None and owner.is_active and owner.role == action["role"]:
            return owner
        return _next_in_turn(key=f"rule:{rule.pk}:role:{action['role']}", role=action["role"])
    if owner is None:
        raise ValidationError(_("The record has no owner to give the activity to."))
    return owner


def _need_contact(occurrence: Occurrence) -> Contact:
    contact = occurrence.contact
    if contact is None:
        raise ActionSkipped(_("The record has no contact."))
    return contact


def send_message(rule: Rule, action: Mapping[str, Any], occ: Occurrence, step: int) -> str:
    """Queue a templated message in the customer's language; messaging waits for their hours."""
    from hamkor.messaging.services import queue_message, render_message, render_template

    contact = _need_contact(occ)
    channel = action["channel"]
    rendered = None
    if action.get("template"):
        try:
            rendered = render_template(
                key=action["template"], channel=channel, contact=contact, sender=None
            )
        except ValidationError:
            if not (action.get("body") or action.get("bodies")):
                raise
    if rendered is None:
        # No template yet: the rule's own text, in the customer's language when it has one.
        bodies = action.get("bodies") or {}
        body = bodies.get(contact.language) or bodies.get(settings.LANGUAGE_CODE)
        rendered = render_message(
            channel=channel,
            body=body or action.get("body") or next(iter(bodies.values()), ""),
            subject=action.get("subject", ""),
            contact=contact,
            sender=None,
        )
    message = queue_message(
        channel=channel,
        body=rendered.body,
        subject=rendered.subject,
        html_body=rendered.html_body,
        contact=contact,
        kind="automated",
        idempotency_key=f"automation:{rule.pk}:{occ.key}:{step}"[:200],
        actor=None,
    )
    if message.status == "blocked":
        raise ActionSkipped(message.error)
    return _("Message queued for %(name)s (%(status)s).") % {
        "name": contact.full_name,
        "status": message.get_status_display(),
    }


def create_task(rule: Rule, action: Mapping[str, Any], occ: Occurrence, step: int) -> str:
    """Plan an activity for a user, the record's owner or someone with a role."""
    from hamkor.activities.services.activities import plan_activity
    from hamkor.sales.models import Deal

    owner = _assignee(rule, action, occ.target)
    target = occ.target
    due = timezone.now() + datetime.timedelta(days=int(action.get("due_in_days", 0)))
    activity = plan_activity(
        actor=_actor(rule),
        owner=owner,
        values={"kind": action["kind"], "subject": action["subject"], "due_at": due},
        contact=occ.contact,
        company=target if isinstance(target, Company) else None,
        deal=target if isinstance(target, Deal) else None,
    )
    return _("“%(subject)s” planned for %(user)s.") % {"subject": activity.subject, "user": owner}


def assign_owner(rule: Rule, action: Mapping[str, Any], occ: Occurrence, step: int) -> str:
    """Give the contact, company or deal a new owner (who takes it into their team)."""
    from hamkor.contacts.services import ContactInput, update_company, update_contact
    from hamkor.sales.models import Deal
    from hamkor.sales.services.deals import update_deal

    owner = _assignee(rule, action, occ.target)
    target = occ.target
    if isinstance(target, Contact):
        update_contact(
            contact=target, data=ContactInput(values={"owner": owner}), actor=_actor(rule)
        )
    elif isinstance(target, Company):
        update_company(company=target, values={"owner": owner}, actor=_actor(rule))
    elif isinstance(target, Deal):
        update_deal(deal=target, values={"owner": owner}, actor=_actor(rule))
    else:
        raise ActionSkipped(_("Only contacts, companies and deals have an owner to assign."))
    return _("Assigned to %(user)s.") % {"user": owner}


def add_tag(rule: Rule, action: Mapping[str, Any], occ: Occurrence, step: int) -> str:
    """Tag the contact (or the company, when the record is one)."""
    from hamkor.contacts.services import ContactInput, update_company, update_contact

    tag = action["tag"]
    target = occ.target
    if isinstance(target, Company):
        names = list(target.tags.values_list("name", flat=True))
        if tag.casefold() in (n.casefold() for n in names):
            raise ActionSkipped(_("The tag “%(tag)s” is there already.") % {"tag": tag})
        update_company(company=target, values={}, tags=[*names, tag], actor=_actor(rule))
        return _("Tagged “%(tag)s”.") % {"tag": tag}
    contact = _need_contact(occ)
    names = list(contact.tags.values_list("name", flat=True))
    if tag.casefold() in (n.casefold() for n in names):
        raise ActionSkipped(_("The tag “%(tag)s” is there already.") % {"tag": tag})
    update_contact(contact=contact, data=ContactInput(tags=[*names, tag]), actor=_actor(rule))
    return _("Tagged “%(tag)s”.") % {"tag": tag}


def set_stage(rule: Rule, action: Mapping[str, Any], occ: Occurrence, step: int) -> str:
    """Move the contact to another lifecycle stage."""
    from hamkor.contacts.models import Stage
    from hamkor.contacts.services import ContactInput, update_contact

    contact = _need_contact(occ)
    if contact.stage == action["stage"]:
        raise ActionSkipped(_("The contact is in that stage already."))
    update_contact(
        contact=contact, data=ContactInput(values={"stage": action["stage"]}), actor=_actor(rule)
    )
    return _("Stage changed to %(stage)s.") % {"stage": Stage(action["stage"]).label}


def move_deal(rule: Rule, action: Mapping[str, Any], occ: Occurrence, step: int) -> str:
    """Move the deal to another stage of its pipeline."""
    from hamkor.sales.models import Deal, PipelineStage
    from hamkor.sales.services.deals import move_deal as move

    if not isinstance(occ.target, Deal):
        raise ActionSkipped(_("Only a deal can be moved to a stage."))
    stage = PipelineStage.objects.get(pk=action["stage"])
    deal = move(deal=occ.target, stage=stage, actor=_actor(rule))
    return _("Deal moved to %(stage)s.") % {"stage": deal.stage.name}


def call_webhook(rule: Rule, action: Mapping[str, Any], occ: Occurrence, step: int) -> str:
    """Queue a signed POST about the record to a webhook (sent and retried by the worker)."""
    from hamkor.automation.models import WebhookEndpoint
    from hamkor.automation.services.webhooks import queue_delivery

    endpoint = WebhookEndpoint.objects.get(pk=action["endpoint"])
    if not endpoint.is_active:
        raise ActionSkipped(_("The webhook “%(name)s” is switched off.") % {"name": endpoint})
    queue_delivery(
        endpoint=endpoint,
        key=f"rule:{rule.pk}:{occ.key}:{step}",
        event=occ.verb or rule.trigger,
        target=occ.target,
        data={"rule": {"id": rule.pk, "name": rule.name}, "event_id": occ.event_id},
    )
    return _("Webhook “%(name)s” queued.") % {"name": endpoint}


def start_project(rule: Rule, action: Mapping[str, Any], occ: Occurrence, step: int) -> str:
    """Start the deal's project from a workflow template, once per deal and template."""
    from hamkor.projects.models import WorkflowTemplate
    from hamkor.projects.services.workflows import start_project_for_deal
    from hamkor.sales.models import Deal

    if not isinstance(occ.target, Deal):
        raise ActionSkipped(_("Only a deal can start a project."))
    template = WorkflowTemplate.objects.get(pk=action["workflow_template"])
    project, created = start_project_for_deal(
        template=template, deal=occ.target, actor=_actor(rule)
    )
    if not created:
        raise ActionSkipped(
            _("The deal already has the project “%(name)s” from this template.")
            % {"name": project.name}
        )
    return _("Project “%(name)s” started from “%(template)s”.") % {
        "name": project.name,
        "template": template.name,
    }


PERFORMERS: dict[str, Callable[[Rule, Mapping[str, Any], Occurrence, int], str]] = {
    "send_message": send_message,
    "create_task": create_task,
    "assign_owner": assign_owner,
    "add_tag": add_tag,
    "set_stage": set_stage,
    "move_deal": move_deal,
    "webhook": call_webhook,
    "start_project": start_project,
}
