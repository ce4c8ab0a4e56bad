"""`hamkor export [--output FILE.zip]`: the whole install as one zip (see docs/transfer.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hamkor.transfer.errors import TransferError
from hamkor.transfer.services import export_install


class Command(BaseCommand):
    # The system checks import every URL module and API schema (seconds at start-up) and
    # find nothing this command depends on; `migrate` has run them already.
    requires_system_checks: list[str] = []
    help = "Export every table (JSON lines) and every stored file into one zip."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            default="",
            help="The zip to write (default: hamkor-export-YYYYMMDD-HHMMSS.zip here).",
        )
        parser.add_argument("--database", default="default", help="Database alias to read.")

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"] or timezone.now().strftime("hamkor-export-%Y%m%d-%H%M%S.zip")
        try:
            manifest = export_install(output=Path(output), using=options["database"])
        except TransferError as error:
            raise CommandError(str(error)) from error
        rows = sum(entry["count"] for entry in manifest["entities"])
        for name in manifest["missing_media"]:
            self.stderr.write(
                _("Warning: the stored file %(name)s is missing and was left out.") % {"name": name}
            )
        self.stdout.write(
            ngettext(
                "Exported %(rows)s row of %(tables)s tables and %(files)s files to %(path)s.",
                "Exported %(rows)s rows of %(tables)s tables and %(files)s files to %(path)s.",
                rows,
            )
            % {
                "rows": rows,
                "tables": len(manifest["entities"]),
                "files": len(manifest["media"]),
                "path": output,
            }
        )
