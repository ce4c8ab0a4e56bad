"""`hamkor import-all FILE.zip`: restore a full export into an empty, migrated install."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import ngettext

from hamkor.transfer.errors import TransferError
from hamkor.transfer.services import restore_install


class Command(BaseCommand):
    # The system checks import every URL module and API schema (seconds at start-up) and
    # find nothing this command depends on; `migrate` has run them already.
    requires_system_checks: list[str] = []
    help = "Restore a `hamkor export` zip into an empty database (run `hamkor migrate` first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The zip written by `hamkor export`.")
        parser.add_argument("--database", default="default", help="Database alias to fill.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = restore_install(source=Path(options["file"]), using=options["database"])
        except TransferError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            ngettext(
                "Restored %(rows)s row of %(tables)s tables and %(files)s files.",
                "Restored %(rows)s rows of %(tables)s tables and %(files)s files.",
                result.rows,
            )
            % {"rows": result.rows, "tables": len(result.counts), "files": result.media}
        )
