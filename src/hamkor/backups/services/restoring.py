"""`hamkor restore` and `hamkor backup --verify`: check an archive, then put it back."""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hamkor.backups import conf
from hamkor.backups.errors import BackupError
from hamkor.backups.services import databases
from hamkor.backups.services.archive import (
    DATABASE_MEMBERS,
    MEDIA_PREFIX,
    Unpacked,
    check_digests,
    unpack,
)
from hamkor.transfer.registry import MADE_BY_MIGRATE, SEEDED_BY_MIGRATIONS

logger = logging.getLogger(__name__)


@dataclass
class CountCheck:
    """Rows per table found, set against the manifest."""

    expected: dict[str, int]
    found: dict[str, int]

    @property
    def mismatches(self) -> list[tuple[str, int, int | None]]:
        return [
            (table, count, self.found.get(table))
            for table, count in sorted(self.expected.items())
            if self.found.get(table) != count
        ]


@dataclass
class VerifyResult:
    """A verified archive: files checked, and what the database snapshot was checked with."""

    manifest: dict[str, Any]
    files: int
    counts: CountCheck | None
    # "integrity_check", "pg_restore --list" or "restored into a scratch database".
    method: str


@dataclass
class RestoreResult:
    """A finished restore: the live database's rows against the manifest."""

    manifest: dict[str, Any]
    counts: CountCheck
    media: int
    # Migrations of this Hamkor the backup predates: `hamkor migrate` applies them.
    pending_migrations: list[str] = field(default_factory=list)


def _dump_major(manifest: dict[str, Any]) -> int:
    match = re.search(r"(\d+)(?:\.\d+)?", str(manifest["database"].get("tool", "")))
    return int(match.group(1)) if match else 0


def _snapshot_file(unpacked: Unpacked, staging: Path) -> tuple[str, Path]:
    vendor = str(unpacked.manifest["database"].get("vendor", ""))
    databases.require_supported(vendor)
    return vendor, staging / DATABASE_MEMBERS[vendor]


def _require_counts(check: CountCheck, where: str) -> None:
    if check.mismatches:
        table, expected, found = check.mismatches[0]
        if found is None:
            raise BackupError(
                _("The table %(table)s of the manifest is missing from %(where)s.")
                % {"table": table, "where": where}
            )
        raise BackupError(
            _(
                "The row counts of %(where)s differ from the manifest in %(tables)s tables; "
                "%(table)s has %(found)s rows instead of %(expected)s."
            )
            % {
                "where": where,
                "tables": len(check.mismatches),
                "table": table,
                "found": found,
                "expected": expected,
            }
        )


def _check_snapshot(
    unpacked: Unpacked, staging: Path, *, scratch_url: str
) -> tuple[CountCheck | None, str]:
    """Open the database snapshot the way its vendor allows; counts compared to the manifest."""
    vendor, path = _snapshot_file(unpacked, staging)
    expected = {str(name): int(count) for name, count in unpacked.manifest["tables"].items()}
    if vendor == databases.SQLITE:
        check = CountCheck(expected=expected, found=databases.check_sqlite(path))
        _require_counts(check, _("the database in the backup"))
        return check, "integrity_check"
    dump_major = _dump_major(unpacked.manifest)
    databases.list_postgres_dump(dump=path, dump_major=dump_major)
    if not scratch_url:
        return None, "pg_restore --list"
    found = databases.restore_postgres_scratch(url=scratch_url, dump=path, dump_major=dump_major)
    check = CountCheck(expected=expected, found=found)
    _require_counts(check, _("the scratch database"))
    return check, "restored into a scratch database"


def verify_backup(*, archive: Path) -> VerifyResult:
    """Check every checksum, open the database snapshot and compare its row counts.

    Only the database snapshot is unpacked (into the backup folder); media are hashed as they
    stream by. With HAMKOR_BACKUP_VERIFY_DATABASE_URL set, a PostgreSQL dump is restored into
    that scratch database and counted there.
    """
    scratch = conf.backup_dir()
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".hamkor-verify-", dir=scratch) as staging:
        unpacked = unpack(archive, into=Path(staging), keep=set(DATABASE_MEMBERS.values()))
        check_digests(unpacked, archive)
        counts, method = _check_snapshot(
            unpacked, Path(staging), scratch_url=conf.verify_database_url()
        )
    return VerifyResult(
        manifest=unpacked.manifest,
        files=len(unpacked.manifest["files"]),
        counts=counts,
        method=method,
    )


def _migration_gaps(manifest: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(migrations the backup has that this code lacks, migrations this code has that it lacks)"""
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    in_backup = {
        (str(app), str(name))
        for app, names in (manifest.get("migrations") or {}).items()
        for name in names
    }
    unknown = sorted(f"{app}.{name}" for app, name in in_backup - on_disk)
    pending = sorted(f"{app}.{name}" for app, name in on_disk - in_backup)
    return unknown, pending


def _ignored_tables() -> set[str]:
    """Tables `migrate` fills by itself: rows there do not make a database "not empty"."""
    tables = {"django_migrations"}
    for label in MADE_BY_MIGRATE | SEEDED_BY_MIGRATIONS:
        try:
            tables.add(apps.get_model(label)._meta.db_table)
        except LookupError:
            continue
    return tables


def filled_tables(using: str = "default") -> list[str]:
    """Model tables of the configured database holding rows of their own, in name order.

    Only the tables of models count: the rest (full-text indexes and their shadow tables) are
    derived from them, and some hold rows the moment they are created.
    """
    connection = connections[using]
    model_tables = {
        model._meta.db_table for model in apps.get_models(include_auto_created=True)
    } - _ignored_tables()
    filled = []
    try:
        with connection.cursor() as cursor:
            for table in sorted(connection.introspection.table_names(cursor)):
                if table not in model_tables:
                    continue
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
                if cursor.fetchone() is not None:
                    filled.append(table)
    except DatabaseError as error:
        raise BackupError(
            _("Cannot read the database to restore into: %(error)s") % {"error": str(error).strip()}
        ) from error
    finally:
        connection.close()
    return filled


def _require_empty(using: str) -> None:
    filled = filled_tables(using)
    if filled:
        raise BackupError(
            ngettext(
                "The database is not empty: %(tables)s has rows. Restoring replaces everything "
                "in it; run again with --yes to do so.",
                "The database is not empty: %(tables)s have rows. Restoring replaces everything "
                "in it; run again with --yes to do so.",
                len(filled),
            )
            % {"tables": ", ".join(filled[:5]) + (", …" if len(filled) > 5 else "")}
        )


def _restore_media(staging: Path, media_root: Path) -> int:
    """Move the unpacked media into the media folder; files not in the backup stay."""
    source = staging / MEDIA_PREFIX.rstrip("/")
    moved = 0
    if not source.is_dir():
        return 0
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        target = media_root / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)
        moved += 1
    return moved


def restore_backup(*, archive: Path, force: bool = False, using: str = "default") -> RestoreResult:
    """Put the archive's database and media in place of the configured ones, then count.

    Everything is checked before anything is written: checksums, the database snapshot, the
    vendor, the migrations and (unless ``force``) that the database is empty.
    """
    connection = connections[using]
    vendor = connection.vendor
    databases.require_supported(vendor)
    media_root = Path(settings.MEDIA_ROOT)
    # Unpacked beside the media folder, so the files are moved into it, not copied again.
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".hamkor-restore-", dir=media_root.parent) as tmp:
        staging = Path(tmp)
        unpacked = unpack(archive, into=staging)
        check_digests(unpacked, archive)
        manifest = unpacked.manifest
        backup_vendor = str(manifest["database"].get("vendor", ""))
        if backup_vendor != vendor:
            raise BackupError(
                _(
                    "The backup is of a %(backup)s database, but this install uses %(live)s. "
                    "Restore it into %(backup)s, then move with `hamkor export` and "
                    "`hamkor import-all` (see docs/transfer.md)."
                )
                % {
                    "backup": databases.vendor_name(backup_vendor),
                    "live": databases.vendor_name(vendor),
                }
            )
        unknown, pending = _migration_gaps(manifest)
        if unknown:
            raise BackupError(
                _(
                    "The backup was made by a newer Hamkor (%(version)s): this one does not know "
                    "the migration %(migrations)s. Upgrade Hamkor, then restore."
                )
                % {"version": manifest.get("hamkor_version"), "migrations": ", ".join(unknown[:3])}
            )
        _check_snapshot(unpacked, staging, scratch_url="")
        if not force:
            _require_empty(using)
        connection.close()
        _vendor, snapshot = _snapshot_file(unpacked, staging)
        if vendor == databases.SQLITE:
            databases.restore_sqlite(settings_dict=connection.settings_dict, snapshot=snapshot)
        else:
            databases.restore_postgres(
                settings_dict=connection.settings_dict,
                dump=snapshot,
                dump_major=_dump_major(manifest),
            )
        media = _restore_media(staging, media_root)
    logger.debug("Backup restored", extra={"archive": str(archive), "media": media})
    found = databases.live_counts(connection.settings_dict, vendor)
    expected = {str(name): int(count) for name, count in manifest["tables"].items()}
    return RestoreResult(
        manifest=manifest,
        counts=CountCheck(expected=expected, found=found),
        media=media,
        pending_migrations=pending,
    )
