"""`hamkor backup [--output PATH]` and `hamkor backup --verify ARCHIVE` (see docs/backups.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hamkor.backups.errors import BackupError
from hamkor.backups.services import create_backup, verify_backup


class Command(BaseCommand):
    # The system checks import every URL module and API schema (seconds at start-up) and
    # find nothing this command depends on.
    requires_system_checks: list[str] = []
    help = (
        "Write a consistent backup of the database and the media folder into one archive, "
        "or check one with --verify."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            default="",
            help=(
                "A folder or archive file to write (default: "
                "HAMKOR_BACKUP_DIR/hamkor-backup-YYYYMMDD-HHMMSS.tar.gz)."
            ),
        )
        parser.add_argument(
            "--verify",
            metavar="ARCHIVE",
            default="",
            help="Check an archive instead of writing one: checksums, database, row counts.",
        )
        parser.add_argument("--database", default="default", help="Database alias to back up.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["verify"]:
                self._verify(Path(options["verify"]))
            else:
                self._backup(Path(options["output"]) if options["output"] else None, options)
        except BackupError as error:
            raise CommandError(str(error)) from error

    def _backup(self, output: Path | None, options: dict[str, Any]) -> None:
        result = create_backup(output=output, using=options["database"])
        for name in result.manifest["missing_media"]:
            self.stderr.write(
                _("Warning: the stored file %(name)s is missing and is not in the backup.")
                % {"name": name}
            )
        self.stdout.write(
            ngettext(
                "Backup written to %(path)s: %(rows)s row in %(tables)s tables, %(files)s media "
                "files, %(size)s.",
                "Backup written to %(path)s: %(rows)s rows in %(tables)s tables, %(files)s media "
                "files, %(size)s.",
                result.rows,
            )
            % {
                "path": result.path,
                "rows": result.rows,
                "tables": len(result.manifest["tables"]),
                "files": result.media,
                "size": filesizeformat(result.path.stat().st_size),
            }
        )
        for path in result.pruned:
            self.stdout.write(_("Removed the old backup %(path)s.") % {"path": path})

    def _verify(self, archive: Path) -> None:
        result = verify_backup(archive=archive)
        files = ngettext(
            "%(count)s file matches its checksum",
            "%(count)s files match their checksums",
            result.files,
        ) % {"count": result.files}
        if result.counts is None:
            self.stdout.write(
                _(
                    "The backup %(path)s is sound: %(files)s and the dump's table of contents "
                    "is readable. Set HAMKOR_BACKUP_VERIFY_DATABASE_URL to a scratch database "
                    "to also restore it and count its rows."
                )
                % {"path": archive, "files": files}
            )
            return
        rows = sum(result.counts.found.values())
        self.stdout.write(
            _(
                "The backup %(path)s is sound: %(files)s; the database (%(method)s) holds "
                "%(rows)s rows in %(tables)s tables, as its manifest says."
            )
            % {
                "path": archive,
                "files": files,
                "method": result.method,
                "rows": rows,
                "tables": len(result.counts.expected),
            }
        )
