"""``hamkor worker``: one background worker (Huey consumer + the reminder dispatcher).

Run as many as you like, on as many machines as share the database and the queue
(HAMKOR_REDIS_URL): jobs and reminders are claimed atomically, nothing is done twice.
"""

from __future__ import annotations

from typing import Any

from huey.contrib.djhuey.management.commands.run_huey import Command as RunHuey

from hamkor.activities.dispatcher import start_dispatcher


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
        dispatcher = start_dispatcher(interval=interval)
        try:
            super().handle(*args, **options)
        finally:
            dispatcher.stop()
