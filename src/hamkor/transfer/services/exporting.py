"""`hamkor export`: every table as JSON lines plus every stored file, in one zip."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from django.db import connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.transfer.codec import encode_row
from hamkor.transfer.errors import TransferError
from hamkor.transfer.registry import SKIPPED, exported_models, file_fields, label_of, stored_fields

logger = logging.getLogger(__name__)

FORMAT_NAME = "hamkor-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK_ROWS = 2000
COPY_BYTES = 1024 * 1024


@dataclass
class _Zip:
    """The zip being written, with the manifest entries gathered so far."""

    archive: zipfile.ZipFile
    entities: list[dict[str, Any]] = field(default_factory=list)
    media: list[dict[str, Any]] = field(default_factory=list)
    missing_media: list[str] = field(default_factory=list)
    media_names: set[str] = field(default_factory=set)


def _hamkor_version() -> str:
    try:
        return metadata.version("hamkor")
    except metadata.PackageNotFoundError:
        return "unknown"


@contextlib.contextmanager
def _snapshot(using: str) -> Iterator[None]:
    """One read transaction, so every table is read as of the same moment.

    PostgreSQL: REPEATABLE READ, READ ONLY. SQLite: a deferred transaction, which in WAL mode
    reads one snapshot without blocking writers (the install's own transactions are
    IMMEDIATE and would). Inside a caller's transaction its snapshot is used as it is.
    """
    connection = connections[using]
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            try:
                # The snapshot starts at the first read.
                cursor.execute("SELECT count(*) FROM sqlite_master")
                yield
            finally:
                cursor.execute("ROLLBACK")
        return
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            elif connection.vendor == "mysql":
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


class _HashingWriter:
    """Writes to a zip member while counting bytes and computing its SHA-256."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.target.write(data)
        self.sha256.update(data)
        self.size += len(data)


def _write_entity(out: _Zip, model: type[models.Model], using: str) -> None:
    fields = stored_fields(model)
    columns = [f.attname for f in fields]
    name = label_of(model)
    member = f"data/{name}.jsonl"
    rows = (
        model._base_manager.using(using)
        .order_by("pk")
        .values_list(*columns)
        .iterator(chunk_size=CHUNK_ROWS)
    )
    count = 0
    out.archive.compression = zipfile.ZIP_DEFLATED
    with out.archive.open(member, "w", force_zip64=True) as target:
        writer = _HashingWriter(target)
        for values in rows:
            writer.write(encode_row(columns, values))
            count += 1
    out.entities.append(
        {"name": name, "file": member, "count": count, "sha256": writer.sha256.hexdigest()}
    )
    for file_field in file_fields(model):
        _write_media(out, model, file_field, using)


def _write_media(
    out: _Zip, model: type[models.Model], file_field: models.FileField, using: str
) -> None:
    names = (
        model._base_manager.using(using)
        .exclude(**{file_field.attname: ""})
        .exclude(**{f"{file_field.attname}__isnull": True})
        .order_by("pk")
        .values_list(file_field.attname, flat=True)
        .iterator(chunk_size=CHUNK_ROWS)
    )
    storage = file_field.storage
    for stored_name in names:
        if stored_name in out.media_names:
            continue
        out.media_names.add(stored_name)
        member = f"media/{stored_name}"
        try:
            source = storage.open(stored_name, "rb")
        except FileNotFoundError:
            logger.warning("Stored file missing", extra={"file": stored_name})
            out.missing_media.append(stored_name)
            continue
        # Stored, not deflated: attachments and PDFs are mostly compressed already.
        out.archive.compression = zipfile.ZIP_STORED
        with source, out.archive.open(member, "w", force_zip64=True) as target:
            writer = _HashingWriter(target)
            while chunk := source.read(COPY_BYTES):
                writer.write(chunk)
        out.media.append(
            {
                "name": stored_name,
                "file": member,
                "field": f"{label_of(model)}.{file_field.name}",
                "size": writer.size,
                "sha256": writer.sha256.hexdigest(),
            }
        )


def require_migrated(using: str) -> None:
    """Refuse a database with migrations still to run: its tables are not this Hamkor's."""
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise TransferError(_("The database is not fully migrated; run `hamkor migrate` first."))


def export_install(*, output: Path, using: str = "default") -> dict[str, Any]:
    """Write the whole install into the zip ``output``; return its manifest.

    The zip is written beside ``output`` under a temporary name and renamed at the end, so
    a failed export never leaves a half-written file under the name asked for.
    """
    require_migrated(using)
    output = Path(output)
    if output.is_dir():
        raise TransferError(_("%(path)s is a folder; give a file name.") % {"path": output})
    folder = output.parent
    if not folder.is_dir():
        raise TransferError(_("The folder %(path)s does not exist.") % {"path": folder})
    descriptor, temporary = tempfile.mkstemp(prefix=".hamkor-export-", suffix=".zip", dir=folder)
    os.close(descriptor)
    try:
        with zipfile.ZipFile(temporary, "w", allowZip64=True) as archive:
            out = _Zip(archive=archive)
            with _snapshot(using):
                for model in exported_models(using):
                    _write_entity(out, model, using)
            manifest = {
                "format": FORMAT_NAME,
                "format_version": FORMAT_VERSION,
                "hamkor_version": _hamkor_version(),
                "created_at": timezone.now().isoformat(),
                "database_vendor": connections[using].vendor,
                "entities": out.entities,
                "media": out.media,
                "missing_media": out.missing_media,
                "skipped": sorted(SKIPPED),
            }
            archive.compression = zipfile.ZIP_DEFLATED
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        Path(temporary).replace(output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return manifest
