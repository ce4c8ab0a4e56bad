"""Background jobs for web forms: drain the stored submissions into leads, oldest first."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from hamkor.webforms.services import drain_submissions, forget_old_counters


@db_task(retries=3, retry_delay=5)
def process_submission_task(submission_id: int) -> int:
    """A submission was stored: process it and any others pending (oldest first, once each).

    The id is not needed (the drainer takes every pending one in order); it is kept so the
    queue shows which post woke the job.
    """
    return drain_submissions()


@db_periodic_task(crontab(minute="*"))
def process_pending_submissions() -> int:
    """Every minute: submissions whose job never ran (the queue was down) are processed."""
    return drain_submissions()


@db_periodic_task(crontab(minute="*/10"))
def forget_rate_counters() -> int:
    """Old per-minute rate-limit counters are deleted."""
    return forget_old_counters()
