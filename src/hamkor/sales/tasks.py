"""Background jobs for sales: keep purchase insight in step with orders."""

from __future__ import annotations

from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from hamkor.sales.services import insight


@db_task(retries=2, retry_delay=10)
def refresh_order_insight(order_id: int) -> bool:
    """An order arrived or changed: its products' pairs, its contact's cycles and loyalty."""
    return insight.refresh_order_insight(order_id=order_id)


@db_task(retries=2, retry_delay=10)
def refresh_contact_insight(contact_id: int) -> bool:
    """Recompute one contact's purchase cycles and loyal status."""
    return insight.refresh_contact_insight(contact_id=contact_id)


@db_periodic_task(crontab(hour=3, minute=0))
def recompute_insight_nightly() -> None:
    """Rebuild every cycle and pair from scratch; repairs anything an update missed."""
    insight.recompute_insight()


def on_order_changed(sender: Any, *, order_id: int, **kwargs: Any) -> None:
    """Receiver for ``sales.signals.order_changed`` (sent on commit): queue the refresh."""
    refresh_order_insight(order_id)
