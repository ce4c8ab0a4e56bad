"""`hamkor messaging poll-imap`: fetch the mailbox now; `hamkor messaging sweep`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hamkor.messaging.services import outbox
from hamkor.messaging.services.mailbox import poll_mailbox


class Command(BaseCommand):
    help = "Messaging chores: poll-imap (fetch new mail), sweep (send due, recover crashed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["poll-imap", "sweep"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "poll-imap":
            if not settings.HAMKOR_IMAP_ENABLED:
                raise CommandError("IMAP is switched off: set HAMKOR_IMAP_ENABLED=1.")
            new = poll_mailbox()
            self.stdout.write(f"{new} new email(s).")
            return
        recovered = outbox.recover_stale_messages()
        handed = outbox.send_due_messages()
        self.stdout.write(
            f"{handed} due message(s) handed to the worker; "
            f"{recovered['requeued']} resent, {recovered['unknown']} marked unknown."
        )
