"""Writes and use cases for automation; one module per area, public names re-exported here."""

from __future__ import annotations

from hamkor.automation.services.actions import ActionSkipped, Occurrence
from hamkor.automation.services.rules import (
    can_edit_rules,
    create_rule,
    delete_rule,
    set_rule_enabled,
    update_rule,
)
from hamkor.automation.services.runs import execute_run
from hamkor.automation.services.webhooks import (
    delete_endpoint,
    deliver,
    queue_delivery,
    redeliver,
    retry_due_deliveries,
    save_endpoint,
    sign,
)

__all__ = [
    "ActionSkipped",
    "Occurrence",
    "can_edit_rules",
    "create_rule",
    "delete_endpoint",
    "delete_rule",
    "deliver",
    "execute_run",
    "queue_delivery",
    "redeliver",
    "retry_due_deliveries",
    "save_endpoint",
    "set_rule_enabled",
    "sign",
    "update_rule",
]
