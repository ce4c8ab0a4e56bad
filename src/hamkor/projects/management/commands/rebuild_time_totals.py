"""`hamkor rebuild_time_totals`: recompute the kept per-project and per-task time totals."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from hamkor.projects.services.time import rebuild_time_totals


class Command(BaseCommand):
    help = (
        "Recompute the time totals behind the workload and risk views from the time entries "
        "(after loading entries straight into the database)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        projects, tasks = rebuild_time_totals()
        self.stdout.write(
            f"Time totals rebuilt in {time.monotonic() - started:.1f} s: "
            f"{projects} project rows, {tasks} task rows."
        )
