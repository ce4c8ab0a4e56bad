"""`hamkor token create USERNAME [--name NAME] [--scope read|write] [--apps contacts,sales]
[--expires 30|90|365|never]` and `hamkor token revoke PREFIX`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hamkor.accounts.api_access import API_AREAS
from hamkor.accounts.models import ApiToken, TokenScope, User
from hamkor.accounts.services import issue_token, revoke_token


class Command(BaseCommand):
    help = "Create or revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print it once.")
        create.add_argument("username")
        create.add_argument("--name", default="cli")
        create.add_argument(
            "--scope",
            default=TokenScope.WRITE,
            choices=TokenScope.values,
            help="read: GET only; write: everything (default).",
        )
        create.add_argument(
            "--apps",
            default="",
            help="Comma-separated API areas the token may reach (default: all). "
            f"Areas: {', '.join(API_AREAS)}.",
        )
        create.add_argument(
            "--expires",
            default="never",
            choices=["30", "90", "365", "never"],
            help="Days until the token stops working (default: never).",
        )
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            try:
                user = User.objects.get(username=options["username"], is_active=True)
            except User.DoesNotExist:
                raise CommandError(f"No active user named {options['username']!r}.") from None
            try:
                issued = issue_token(
                    user=user,
                    name=options["name"],
                    scope=options["scope"],
                    apps=[a.strip() for a in options["apps"].split(",") if a.strip()],
                    expires_in_days=(
                        None if options["expires"] == "never" else int(options["expires"])
                    ),
                )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            self.stdout.write(issued.secret)
            return
        tokens = list(ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True))
        if len(tokens) != 1:
            raise CommandError(f"No single active token starts with {options['prefix']!r}.")
        revoke_token(token=tokens[0], actor=tokens[0].user)
        self.stdout.write(f"Revoked {tokens[0]}.")
