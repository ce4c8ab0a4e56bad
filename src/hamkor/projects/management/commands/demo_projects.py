"""`hamkor demo_projects`: a workflow template and projects on top of `hamkor demo`."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hamkor.projects.demo import ProjectsDemoExistsError, load_projects_demo


class Command(BaseCommand):
    help = "Load demo projects (needs `hamkor demo` first)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            result = load_projects_demo()
        except ProjectsDemoExistsError as error:
            raise CommandError(
                f"Demo projects not loaded: {error}; nothing was changed."
            ) from error
        self.stdout.write(
            f"Demo projects loaded in {time.monotonic() - started:.1f} s: "
            f"{result.templates} template, {result.projects} projects, {result.tasks} tasks."
        )
