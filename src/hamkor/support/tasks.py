"""Background jobs of the support app."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from hamkor.support.services.sla import flag_breaches


@db_periodic_task(crontab(minute="*/5"))
def flag_sla_breaches() -> int:
    """Every five minutes: flag late tickets and escalate each breach once (safe to rerun)."""
    return flag_breaches()


@db_task(retries=3, retry_delay=30)
def make_ticket_from_inbound(inbound_id: int) -> bool:
    """Put a customer's email, SMS or Telegram message on a ticket (safe to run twice)."""
    from hamkor.support.services.inbound import ticket_from_inbound

    return ticket_from_inbound(inbound_id=inbound_id) is not None
