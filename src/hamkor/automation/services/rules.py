"""Create, change, switch on and off, and delete automation rules (managers and admins)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hamkor.accounts.models import SEE_ALL_ROLES, User
from hamkor.automation.models import Rule
from hamkor.automation.services.spec import (
    clean_actions,
    clean_conditions,
    clean_trigger,
    verb_for,
)
from hamkor.core.audit import record_event


def can_edit_rules(user: User) -> bool:
    """Only managers and administrators build or switch rules; everyone else reads."""
    return bool(user.is_authenticated and (user.is_superuser or user.role in SEE_ALL_ROLES))


def _require_editor(actor: User) -> None:
    if not can_edit_rules(actor):
        raise PermissionDenied(_("Only managers and administrators can change automation rules."))


def _apply(
    rule: Rule,
    *,
    name: str,
    trigger: str,
    trigger_params: Mapping[str, Any],
    conditions: Sequence[Mapping[str, Any]],
    actions: Sequence[Mapping[str, Any]],
    description: str,
) -> None:
    errors: dict[str, Any] = {}
    if not name.strip():
        errors["name"] = _("Give the rule a name.")
    try:
        rule.trigger_params = clean_trigger(trigger, trigger_params)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        rule.conditions = clean_conditions(conditions)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        rule.actions = clean_actions(actions)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    rule.name = name.strip()
    rule.description = description.strip()
    rule.trigger = trigger
    rule.verb = verb_for(trigger, rule.trigger_params)
    rule.full_clean()


@transaction.atomic
def create_rule(
    *,
    actor: User,
    name: str,
    trigger: str,
    trigger_params: Mapping[str, Any],
    conditions: Sequence[Mapping[str, Any]] = (),
    actions: Sequence[Mapping[str, Any]],
    enabled: bool = False,
    description: str = "",
) -> Rule:
    """Create a rule owned by the actor; off unless ``enabled``."""
    _require_editor(actor)
    rule = Rule(owner=actor, enabled=enabled)
    _apply(
        rule,
        name=name,
        trigger=trigger,
        trigger_params=trigger_params,
        conditions=conditions,
        actions=actions,
        description=description,
    )
    rule.save()
    record_event(actor=actor, verb="rule.created", target=rule, data={"trigger": trigger})
    return rule


@transaction.atomic
def update_rule(
    *,
    rule: Rule,
    actor: User,
    name: str,
    trigger: str,
    trigger_params: Mapping[str, Any],
    conditions: Sequence[Mapping[str, Any]] = (),
    actions: Sequence[Mapping[str, Any]],
    description: str = "",
) -> Rule:
    """Replace a rule's trigger, conditions and actions; its run log stays."""
    _require_editor(actor)
    _apply(
        rule,
        name=name,
        trigger=trigger,
        trigger_params=trigger_params,
        conditions=conditions,
        actions=actions,
        description=description,
    )
    rule.save()
    record_event(actor=actor, verb="rule.updated", target=rule, data={"trigger": trigger})
    return rule


@transaction.atomic
def set_rule_enabled(*, rule: Rule, enabled: bool, actor: User) -> Rule:
    """Switch a rule on or off; whoever switches an unowned (ready-made) rule on owns it."""
    _require_editor(actor)
    if rule.enabled == enabled:
        return rule
    rule.enabled = enabled
    if enabled and rule.owner_id is None:
        rule.owner = actor
    rule.save(update_fields=["enabled", "owner", "updated_at"])
    record_event(
        actor=actor, verb="rule.switched_on" if enabled else "rule.switched_off", target=rule
    )
    return rule


@transaction.atomic
def delete_rule(*, rule: Rule, actor: User) -> None:
    """Remove a rule and its run log; the audit trail keeps its name."""
    _require_editor(actor)
    record_event(actor=actor, verb="rule.deleted", target=rule, data={"name": rule.name})
    rule.delete()
