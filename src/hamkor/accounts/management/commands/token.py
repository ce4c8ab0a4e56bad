"""`hamkor token create USERNAME [--name NAME]` and `hamkor token revoke PREFIX`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hamkor.accounts.models import ApiToken, User
from hamkor.accounts.services import issue_token, revoke_token


class Command(BaseCommand):
    help = "Create or revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print it once.")
        create.add_argument("username")
        create.add_argument("--name", default="cli")
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            try:
                user = User.objects.get(username=options["username"], is_active=True)
            except User.DoesNotExist:
                raise CommandError(f"No active user named {options['username']!r}.") from None
            try:
                issued = issue_token(user=user, name=options["name"])
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            self.stdout.write(issued.secret)
            return
        tokens = list(ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True))
        if len(tokens) != 1:
            raise CommandError(f"No single active token starts with {options['prefix']!r}.")
        revoke_token(token=tokens[0], actor=tokens[0].user)
        self.stdout.write(f"Revoked {tokens[0]}.")
