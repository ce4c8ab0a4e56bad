"""Background jobs for feedback: tell voters, send survey invitations, plan after-order surveys."""

from __future__ import annotations

from typing import Any

from huey.contrib.djhuey import db_task

from hamkor.accounts.models import User
from hamkor.core.models import AuditEvent
from hamkor.feedback.models import SuggestionStatusChange, Survey
from hamkor.feedback.services import invite_group, notify_status_change, plan_after_order_surveys

PAID = "paid"


@db_task(retries=2, retry_delay=30)
def notify_suggestion_status(change_id: int) -> int:
    """Tell everyone who voted for an idea about one status change (idempotent per change)."""
    change = (
        SuggestionStatusChange.objects.select_related("suggestion").filter(pk=change_id).first()
    )
    if change is None:
        return 0
    return notify_status_change(change=change)


@db_task(retries=2, retry_delay=60)
def invite_survey_group(survey_id: int, actor_id: int) -> int:
    """Write and queue the invitations of a group survey; a rerun skips those already asked."""
    survey = Survey.objects.filter(pk=survey_id).first()
    actor = User.objects.filter(pk=actor_id, is_active=True).first()
    if survey is None or actor is None:
        return 0
    return invite_group(survey=survey, viewer=actor)


@db_task(retries=2, retry_delay=30)
def plan_order_surveys(event_id: int) -> int:
    """Schedule after-order surveys for the order a payment event is about."""
    from hamkor.sales.models import Order

    event = AuditEvent.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    order = Order.objects.select_related("contact").filter(pk=event.target_id).first()
    if order is None or order.status != PAID:
        return 0
    return len(plan_after_order_surveys(order=order, paid_at=event.created_at))


def _is_payment(verb: str, data: dict[str, Any]) -> bool:
    if verb == "order.status_changed":
        return data.get("to") == PAID
    # An order entered as already paid (a web-shop order, a walk-in sale) is paid at creation.
    return verb == "order.created" and data.get("status") == PAID


def on_event_recorded(sender: Any, *, event_id: int, verb: str, **kwargs: Any) -> None:
    """Receiver for ``core.audit.event_recorded`` (sent on commit): a paid order → surveys."""
    if verb not in ("order.status_changed", "order.created"):
        return
    data = AuditEvent.objects.filter(pk=event_id).values_list("data", flat=True).first()
    if isinstance(data, dict) and _is_payment(verb, data):
        plan_order_surveys(event_id)
