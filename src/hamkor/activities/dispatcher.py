"""The reminder dispatcher: a loop beside the Huey consumer that fires reminders on time.

Why a loop and not only Huey: periodic tasks have minute granularity, and reminders must
fire within seconds. The loop asks the database for due reminders about once a second
(one indexed query on unfired rows) and fires them in batches; when a batch was full it
goes again at once, so a burst of due reminders is drained at full speed. Several loops
on several machines are safe: each batch is claimed with a conditional UPDATE (see
services/reminders.py).
"""

from __future__ import annotations

import logging
import os
import socket
import threading

from django.db import close_old_connections, connection

from hamkor.activities.services.reminders import BATCH, fire_due_reminders

logger = logging.getLogger(__name__)


class ReminderDispatcher(threading.Thread):
    def __init__(self, *, interval: float = 1.0, batch: int = BATCH) -> None:
        super().__init__(name="reminder-dispatcher", daemon=True)
        self.interval = interval
        self.batch = batch
        self.stopping = threading.Event()
        self.worker = f"{socket.gethostname()}:{os.getpid()}"

    def run(self) -> None:
        while not self.stopping.is_set():
            fired = 0
            try:
                close_old_connections()
                fired = fire_due_reminders(worker=self.worker, limit=self.batch)
            except Exception:
                # A locked database or a lost connection: log, reconnect, try again soon.
                logger.exception("reminder dispatch failed", extra={"worker": self.worker})
                connection.close()
            if fired < self.batch:
                self.stopping.wait(self.interval)
        connection.close()

    def stop(self) -> None:
        self.stopping.set()


def start_dispatcher(*, interval: float, batch: int = BATCH) -> ReminderDispatcher:
    dispatcher = ReminderDispatcher(interval=interval, batch=batch)
    dispatcher.start()
    logger.info("reminder dispatcher started", extra={"interval_s": interval})
    return dispatcher
