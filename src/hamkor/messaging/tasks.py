"""Background jobs: send one message, sweep for lost ones, recover crashed sends."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from hamkor.messaging.services import outbox


@db_task()
def send_message(message_id: int) -> str:
    """Claim and send one outbox message; a second run finds it claimed and does nothing."""
    return outbox.deliver_message(message_id=message_id)


@db_periodic_task(crontab(minute="*"))
def sweep_outbox() -> None:
    """Every minute: due messages whose task was lost, and sends a dead worker left behind."""
    outbox.recover_stale_messages()
    outbox.send_due_messages()


@db_periodic_task(crontab(minute="*/2"))
def poll_mailbox() -> int:
    """Every two minutes, when HAMKOR_IMAP_ENABLED: fetch new mail onto the timeline."""
    from hamkor.messaging.services.mailbox import poll_mailbox as poll

    return poll()
