"""Background jobs of accounts: pruning the API call log and the login log."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hamkor.accounts.services import prune_api_calls


@db_periodic_task(crontab(hour=3, minute=30))
def prune_access_logs_nightly() -> int:
    """Delete API calls and successful-login records older than HAMKOR_API_LOG_RETENTION_DAYS."""
    logins = int(AxesProxyHandler.reset_logs(age_days=settings.HAMKOR_API_LOG_RETENTION_DAYS))
    return prune_api_calls() + logins
