"""``hamkor worker``: one background worker (Huey consumer + the reminder dispatcher).

Run as many as you like, on as many machines as share the database and the queue
(HAMKOR_REDIS_URL): jobs and reminders are claimed atomically, nothing is done twice.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from huey.contrib.djhuey.management.commands.run_huey import Command as RunHuey

from hamkor.activities.dispatcher import start_dispatcher


def lower_priority(niceness: int) -> int:
    """Make this process nicer by ``niceness`` (0-19) so web requests get the CPU first.

    Background jobs can wait a second; a customer's request cannot. On a small server the
    worker and the web processes share two cores, and without this a burst of form posts
    waited behind the very jobs that turn them into leads. Returns the new niceness.
    """
    if not 0 <= niceness <= 19:
        raise CommandError(f"HAMKOR_WORKER_NICE must be between 0 and 19, not {niceness}.")
    if niceness and hasattr(os, "nice"):
        return os.nice(niceness)
    return os.nice(0) if hasattr(os, "nice") else 0


class Command(RunHuey):  # type: ignore[misc]  # huey is untyped
    help = "Run one background worker: queued jobs, periodic jobs and reminders."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--reminder-interval",
            type=float,
            default=None,
            help="Seconds between looks for due reminders (default HAMKOR_REMINDER_INTERVAL or 1).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval = float(options.pop("reminder_interval", None) or 1.0)
        lower_priority(settings.WORKER_NICE)
        dispatcher = start_dispatcher(interval=interval)
        try:
            super().handle(*args, **options)
        finally:
            dispatcher.stop()
