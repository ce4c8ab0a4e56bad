"""`hamkor createuser NAME --role ROLE [--team TEAM] [--password P]`."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hamkor.accounts.models import Role
from hamkor.accounts.services import create_user, get_or_create_team


class Command(BaseCommand):
    help = "Create a user with a role (admin, manager, sales, operations, finance, support)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", default=Role.SALES, choices=Role.values)
        parser.add_argument("--team", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", default="", help="Asked for when not given.")

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or getpass.getpass("Password: ")
        if not password:
            raise CommandError("A password is required.")
        team = get_or_create_team(name=options["team"]) if options["team"] else None
        try:
            user = create_user(
                username=options["username"],
                password=password,
                role=options["role"],
                team=team,
                email=options["email"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Created {user.username} ({user.role}).")
