"""`hamkor backup`: snapshot the database, then copy the media, into one archive; prune old ones."""

from __future__ import annotations

import logging
import os
import tarfile
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.backups import conf
from hamkor.backups.errors import BackupError
from hamkor.backups.services import databases
from hamkor.backups.services.archive import (
    DATABASE_MEMBERS,
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA_PREFIX,
    Digest,
    add_file,
    add_json,
    media_files,
)

logger = logging.getLogger(__name__)

ARCHIVE_PREFIX = "hamkor-backup-"
ARCHIVE_SUFFIX = ".tar.gz"


@dataclass
class BackupResult:
    """The archive written and the manifest it holds."""

    path: Path
    manifest: dict[str, Any]
    pruned: list[Path]

    @property
    def rows(self) -> int:
        return sum(self.manifest["tables"].values())

    @property
    def media(self) -> int:
        return sum(1 for name in self.manifest["files"] if name.startswith(MEDIA_PREFIX))


def hamkor_version() -> str:
    try:
        return metadata.version("hamkor")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a bare checkout
        return "unknown"


def archive_name() -> str:
    return timezone.localtime().strftime(f"{ARCHIVE_PREFIX}%Y%m%d-%H%M%S{ARCHIVE_SUFFIX}")


def _target(output: Path | None) -> tuple[Path, bool]:
    """The archive path, and whether it lies in the backup folder (where pruning happens)."""
    if output is None:
        folder = conf.backup_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return folder / archive_name(), True
    if output.is_dir():
        return output / archive_name(), output.resolve() == conf.backup_dir().resolve()
    if not output.parent.is_dir():
        raise BackupError(_("The folder %(path)s does not exist.") % {"path": output.parent})
    return output, False


def create_backup(*, output: Path | None = None, using: str = "default") -> BackupResult:
    """Write one archive of the database and media; prune old ones in the backup folder.

    The database is snapshotted first and the media copied after it: every file a row of the
    snapshot points at was stored before that row was committed, so it is there to be copied;
    a file stored later is copied as a harmless orphan. The archive is written under a hidden
    temporary name and renamed at the end, so a failed run never leaves a file that looks like
    a backup.
    """
    connection = connections[using]
    vendor = connection.vendor
    databases.require_supported(vendor)
    path, in_backup_dir = _target(output)
    folder = path.parent
    media_root = Path(settings.MEDIA_ROOT)
    started = timezone.now()
    with tempfile.TemporaryDirectory(prefix=".hamkor-backup-", dir=folder) as staging:
        snapshot_path = Path(staging) / DATABASE_MEMBERS[vendor]
        if vendor == databases.SQLITE:
            snapshot = databases.snapshot_sqlite(
                settings_dict=connection.settings_dict, target=snapshot_path
            )
        else:
            snapshot = databases.snapshot_postgres(
                settings_dict=connection.settings_dict, target=snapshot_path
            )
        descriptor, partial_name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".partial", dir=folder
        )
        os.close(descriptor)
        partial = Path(partial_name)
        try:
            files: dict[str, Digest] = {}
            with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
                files[snapshot_path.name] = add_file(
                    archive, name=snapshot_path.name, path=snapshot_path
                )
                files.update(_add_media(archive, media_root=media_root, skip=folder))
                referenced = set(snapshot.media_names)
                archived = {name.removeprefix(MEDIA_PREFIX) for name in files}
                missing = sorted(referenced - archived)
                manifest = {
                    "format": FORMAT_NAME,
                    "format_version": FORMAT_VERSION,
                    "hamkor_version": hamkor_version(),
                    "created_at": started.isoformat(),
                    "database": {
                        "vendor": vendor,
                        "file": snapshot_path.name,
                        "server_version": snapshot.server_version,
                        "tool": snapshot.tool,
                    },
                    "migrations": snapshot.migrations,
                    "tables": snapshot.tables,
                    "files": {name: digest.as_json() for name, digest in files.items()},
                    "missing_media": missing,
                }
                add_json(archive, name=MANIFEST, data=manifest, mtime=started.timestamp())
            partial.chmod(0o600)
            partial.replace(path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    pruned = prune_backups(folder=folder, keep=conf.backup_keep()) if in_backup_dir else []
    logger.debug(
        "Backup written",
        extra={"path": str(path), "tables": len(snapshot.tables), "files": len(files)},
    )
    return BackupResult(path=path, manifest=manifest, pruned=pruned)


def _add_media(archive: tarfile.TarFile, *, media_root: Path, skip: Path) -> dict[str, Digest]:
    skipped = skip.resolve()
    # A backup folder inside the media folder must not swallow older backups.
    inside = skipped.is_relative_to(media_root.resolve())
    files = {}
    for name, path in media_files(media_root):
        if inside and path.resolve().is_relative_to(skipped):
            continue
        try:
            files[name] = add_file(archive, name=name, path=path)
        except FileNotFoundError:
            # Deleted between listing and copying: nothing in the snapshot needs it any more
            # than in the live install.
            logger.warning("Stored file vanished during backup", extra={"file": name})
    return files


def list_backups(folder: Path) -> list[Path]:
    """The archives in ``folder`` that `hamkor backup` named, oldest first."""
    if not folder.is_dir():
        return []
    found = [
        path
        for path in folder.iterdir()
        if path.is_file()
        and path.name.startswith(ARCHIVE_PREFIX)
        and path.name.endswith(ARCHIVE_SUFFIX)
    ]
    return sorted(found, key=lambda path: (path.stat().st_mtime, path.name))


def prune_backups(*, folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` archives in ``folder`` (0 keeps all); the deleted."""
    if keep <= 0:
        return []
    backups = list_backups(folder)
    doomed = backups[:-keep] if len(backups) > keep else []
    for path in doomed:
        path.unlink(missing_ok=True)
        logger.debug("Old backup pruned", extra={"path": str(path)})
    return doomed
