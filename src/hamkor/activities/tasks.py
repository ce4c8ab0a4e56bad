"""Background jobs of the activities app."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from hamkor.activities.services.reminders import (
    email_fired_reminders,
    email_forgotten_reminders,
    fire_due_reminders,
)


@db_periodic_task(crontab(minute="*"))
def fire_reminders() -> int:
    """Safety net for a plain ``run_huey`` consumer: fire due reminders once a minute.

    ``hamkor worker`` also runs the dispatcher loop (activities/dispatcher.py), which
    fires them within about a second; both claim rows atomically, so they never double.
    """
    total = 0
    while fired := fire_due_reminders(worker="periodic"):
        total += fired
    email_forgotten_reminders()
    return total


@db_task()
def email_reminders(reminder_ids: list[int]) -> int:
    """Queue the owners' emails of just-fired reminders; safe to run twice."""
    return email_fired_reminders(reminder_ids=reminder_ids)
