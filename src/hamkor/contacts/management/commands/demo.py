"""`hamkor demo [--seed N]`: load realistic demo data once."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hamkor.contacts.demo import DEFAULT_CONTACTS, DEFAULT_SEED, DemoDataExistsError, load_demo


class Command(BaseCommand):
    help = "Load demo data: teams, users with roles, ~300 customers, companies and history."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed.")
        parser.add_argument(
            "--contacts", type=int, default=DEFAULT_CONTACTS, help="How many contacts."
        )
        parser.add_argument("--password", default="", help="Password for the demo users.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["contacts"] < 20:
            raise CommandError("--contacts must be at least 20.")
        started = time.monotonic()
        try:
            result = load_demo(
                seed=options["seed"],
                contacts=options["contacts"],
                password=options["password"] or None,
            )
        except DemoDataExistsError as error:
            raise CommandError(
                f"Demo data is already loaded ({error} exists); nothing was changed."
            ) from error
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Demo data loaded in {elapsed:.1f} s: {result.companies} companies, "
            f"{result.contacts} contacts ({result.duplicate_pairs} planted duplicate pairs), "
            f"{result.interactions} interactions."
        )
        self.stdout.write("Demo users (all share one password):")
        for user in result.users:
            team = user.team.name if user.team else "-"
            self.stdout.write(f"  {user.username:<10} {user.role:<10} {team}")
        self.stdout.write(f"Password: {result.password}")
