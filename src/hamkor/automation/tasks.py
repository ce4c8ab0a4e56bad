"""Background jobs for automation: run rules for events and dates, send webhooks."""

from __future__ import annotations

import logging
from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from hamkor.automation import selectors
from hamkor.automation.models import Rule
from hamkor.automation.services import webhooks
from hamkor.automation.services.runs import MAX_CHAIN, chain_depth, current_chain, execute_run
from hamkor.automation.services.triggers import event_occurrence, time_occurrences
from hamkor.core.models import AuditEvent

logger = logging.getLogger(__name__)


@db_task(retries=2, retry_delay=30)
def run_rule_for_event(rule_id: int, event_id: int, chain: int = 1) -> str:
    """Run one rule for one recorded event; a second run of the same pair does nothing."""
    rule = Rule.objects.filter(pk=rule_id, enabled=True).first()
    event = AuditEvent.objects.filter(pk=event_id).first()
    if rule is None or event is None:
        return "gone"
    occurrence = event_occurrence(rule, event)
    if occurrence is None:
        return "not-matching"
    with chain_depth(chain):
        run = execute_run(rule=rule, occurrence=occurrence)
    return run.status if run is not None else "already-ran"


@db_task(retries=2, retry_delay=60)
def run_time_rule(rule_id: int) -> int:
    """Run a time-triggered rule for every contact or activity it is due for now."""
    rule = Rule.objects.filter(pk=rule_id, enabled=True).first()
    if rule is None:
        return 0
    count = 0
    with chain_depth(1):
        for occurrence in time_occurrences(rule):
            if execute_run(rule=rule, occurrence=occurrence) is not None:
                count += 1
    return count


@db_periodic_task(crontab(minute="*/15"))
def check_time_rules() -> None:
    """Every quarter hour: dates reached, quiet customers, overdue activities."""
    for rule_id in selectors.list_time_rules():
        run_time_rule(rule_id)


@db_task(retries=1, retry_delay=60)
def deliver_webhook(delivery_id: int) -> str:
    """One attempt at a webhook delivery; failures schedule the next with backoff."""
    return webhooks.deliver(delivery_id=delivery_id)


@db_task(retries=2, retry_delay=30)
def queue_event_webhooks(event_id: int) -> int:
    """Queue deliveries of a recorded event to the webhooks subscribed to it."""
    return webhooks.queue_event_deliveries(event_id=event_id)


@db_periodic_task(crontab(minute="*"))
def retry_due_webhooks() -> None:
    """Every minute: send retries whose scheduled job was lost, revive cut-off sends."""
    webhooks.retry_due_deliveries()


def on_event_recorded(sender: Any, *, event_id: int, verb: str, **kwargs: Any) -> None:
    """Receiver for ``core.audit.event_recorded`` (sent on commit): queue rules and webhooks."""
    if verb.startswith(("rule.", "webhook.")):
        return
    chain = current_chain() + 1
    rule_ids = selectors.list_rules_for_verb(verb=verb)
    if rule_ids and chain > MAX_CHAIN:
        logger.warning(
            "automation chain too long, not running rules",
            extra={"event": event_id, "verb": verb, "chain": chain},
        )
        rule_ids = []
    for rule_id in rule_ids:
        run_rule_for_event(rule_id, event_id, chain)
    if selectors.has_subscribed_endpoints(verb=verb):
        queue_event_webhooks(event_id)
