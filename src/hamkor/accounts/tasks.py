"""Background jobs of accounts: pruning the API call log."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hamkor.accounts.services import prune_api_calls


@db_periodic_task(crontab(hour=3, minute=30))
def prune_api_call_log_nightly() -> int:
    """Delete API call log rows older than HAMKOR_API_LOG_RETENTION_DAYS."""
    return prune_api_calls()
