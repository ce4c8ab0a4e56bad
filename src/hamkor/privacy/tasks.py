"""Background jobs: the daily retention run and the clean-up of old export zips."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hamkor.privacy.services import remove_old_exports, run_due_policies


@db_periodic_task(crontab(hour=4, minute=15))
def run_retention() -> int:
    """Daily: run every enabled policy whose last dry run was reviewed; returns leads deleted."""
    return sum(run.deleted for run in run_due_policies())


@db_periodic_task(crontab(hour=4, minute=45))
def clean_exports() -> int:
    """Daily: delete export zips older than a week from the private folder."""
    return remove_old_exports()
