"""`hamkor restore ARCHIVE [--yes]`: put a `hamkor backup` archive in place (docs/backups.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hamkor.backups.errors import BackupError
from hamkor.backups.services import restore_backup


class Command(BaseCommand):
    # The system checks import every URL module and API schema (seconds at start-up) and
    # find nothing this command depends on.
    requires_system_checks: list[str] = []
    help = (
        "Restore a `hamkor backup` archive into the configured database and media folder. "
        "Stop the web server and the worker first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="The .tar.gz written by `hamkor backup`.")
        parser.add_argument(
            "--yes",
            "--force",
            dest="force",
            action="store_true",
            help="Replace a database that already holds data.",
        )
        parser.add_argument("--database", default="default", help="Database alias to restore.")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        try:
            result = restore_backup(
                archive=archive, force=options["force"], using=options["database"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        verbose = options["verbosity"] >= 2
        mismatched = {table for table, _expected, _found in result.counts.mismatches}
        if options["verbosity"] >= 1:
            self.stdout.write(_("Rows per table (backup / restored):"))
            for table, expected in sorted(result.counts.expected.items()):
                found = result.counts.found.get(table)
                if verbose or expected or table in mismatched:
                    marker = "  " if table not in mismatched else "! "
                    self.stdout.write(f"{marker}{table}: {expected} / {found}")
        if result.counts.mismatches:
            raise CommandError(
                ngettext(
                    "The restored database differs from the backup in %(count)s table "
                    "(marked with !).",
                    "The restored database differs from the backup in %(count)s tables "
                    "(marked with !).",
                    len(result.counts.mismatches),
                )
                % {"count": len(result.counts.mismatches)}
            )
        rows = sum(result.counts.found.get(table, 0) for table in result.counts.expected)
        self.stdout.write(
            _(
                "Restored %(path)s (made %(created)s): %(rows)s rows in %(tables)s tables match "
                "the backup; %(files)s media files put back."
            )
            % {
                "path": archive,
                "created": result.manifest.get("created_at"),
                "rows": rows,
                "tables": len(result.counts.expected),
                "files": result.media,
            }
        )
        if result.pending_migrations:
            self.stdout.write(
                _(
                    "The backup is from an older Hamkor: run `hamkor migrate` to apply "
                    "%(count)s newer migrations."
                )
                % {"count": len(result.pending_migrations)}
            )
