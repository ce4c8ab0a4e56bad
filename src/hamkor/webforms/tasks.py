"""Background jobs for web forms: process each submission, sweep the ones a lost job left."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from hamkor.webforms.services import forget_old_counters, process_pending, process_submission


@db_task(retries=3, retry_delay=5)
def process_submission_task(submission_id: int) -> str:
    """Match or create the lead of one submission; a second run changes nothing."""
    submission = process_submission(submission_id=submission_id)
    return submission.status if submission is not None else ""


@db_periodic_task(crontab(minute="*"))
def process_pending_submissions() -> int:
    """Every minute: submissions whose job never ran (the queue was down) are processed."""
    return process_pending()


@db_periodic_task(crontab(minute="*/10"))
def forget_rate_counters() -> int:
    """Old per-minute rate-limit counters are deleted."""
    return forget_old_counters()
