"""Background jobs of the support app."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hamkor.support.services.sla import flag_breaches


@db_periodic_task(crontab(minute="*/5"))
def flag_sla_breaches() -> int:
    """Every five minutes: flag late tickets and escalate each breach once (safe to rerun)."""
    return flag_breaches()
