"""Background jobs for marketing: queue a large bulk message batch by batch."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from hamkor.marketing.services import run_send_batch


@db_task(retries=3, retry_delay=10)
def run_send_task(send_id: int) -> bool:
    """Queue one batch of a send, then the next as a new job (short transactions, resumable)."""
    more = run_send_batch(send_id=send_id)
    if more:
        run_send_task(send_id)
    return more
