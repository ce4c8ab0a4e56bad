"""`hamkor import-all`: load a full export into an empty, migrated install, all or nothing."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management.color import no_style
from django.db import DatabaseError, connections, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hamkor.transfer.codec import decode_value
from hamkor.transfer.errors import TransferError
from hamkor.transfer.registry import (
    MADE_BY_MIGRATE,
    SEEDED_BY_MIGRATIONS,
    exported_models,
    label_of,
    stored_fields,
)
from hamkor.transfer.services.exporting import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST,
    require_migrated,
)

logger = logging.getLogger(__name__)

BATCH_ROWS = 500
READ_BYTES = 1024 * 1024


@dataclass
class RestoreResult:
    """What a restore loaded: rows per entity and the number of files put back."""

    counts: dict[str, int] = field(default_factory=dict)
    media: int = 0

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def _open_archive(path: Path) -> zipfile.ZipFile:
    if not path.is_file():
        raise TransferError(_("The file %(path)s does not exist.") % {"path": path})
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise TransferError(
            _("%(path)s is not a readable zip file: %(error)s") % {"path": path, "error": error}
        ) from error


def _read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as error:
        message = _("The zip has no manifest.json; it is not a Hamkor export.")
        raise TransferError(message) from error
    except (zipfile.BadZipFile, ValueError) as error:
        raise TransferError(
            _("The manifest.json of the zip cannot be read: %(error)s") % {"error": error}
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise TransferError(_("The zip is not a Hamkor export (its manifest says otherwise)."))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise TransferError(
            _(
                "The export has format version %(found)s; this Hamkor reads version "
                "%(expected)s only."
            )
            % {"found": manifest.get("format_version"), "expected": FORMAT_VERSION}
        )
    return manifest


def _listed_files(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    try:
        listed = [*manifest["entities"], *manifest["media"]]
        for entry in listed:
            for key in ("name", "file", "sha256"):
                if not isinstance(entry[key], str):
                    raise TypeError(entry)
    except (KeyError, TypeError) as error:
        raise TransferError(_("The manifest.json of the zip is incomplete.")) from error
    for entry in manifest["media"]:
        parts = PurePosixPath(entry["name"]).parts
        if not parts or entry["name"].startswith(("/", "\\")) or ".." in parts:
            raise TransferError(
                _("The export names a stored file outside the media folder: %(name)s")
                % {"name": entry["name"]}
            )
    return listed


def _sha256_of(stream: io.BufferedIOBase | Any) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(READ_BYTES):
        digest.update(chunk)
    return digest.hexdigest()


def _verify_checksums(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Every file the manifest lists is there with its SHA-256, and nothing else is."""
    listed = _listed_files(manifest)
    expected = {entry["file"]: entry["sha256"] for entry in listed}
    present = {name for name in archive.namelist() if not name.endswith("/")} - {MANIFEST}
    missing = sorted(set(expected) - present)
    if missing:
        raise TransferError(
            _("The zip lacks %(file)s, which its manifest lists.") % {"file": missing[0]}
        )
    extra = sorted(present - set(expected))
    if extra:
        raise TransferError(
            _("The zip holds %(file)s, which its manifest does not list.") % {"file": extra[0]}
        )
    for name, sha256 in expected.items():
        try:
            with archive.open(name) as stream:
                actual = _sha256_of(stream)
        except (zipfile.BadZipFile, OSError) as error:
            raise TransferError(
                _("%(file)s in the zip is damaged: %(error)s") % {"file": name, "error": error}
            ) from error
        if actual != sha256:
            raise TransferError(
                _("%(file)s does not match its checksum in the manifest; the zip was changed.")
                % {"file": name}
            )


def _models_of(manifest: dict[str, Any]) -> dict[str, type[models.Model]]:
    found: dict[str, type[models.Model]] = {}
    for entry in manifest["entities"]:
        name = entry["name"]
        try:
            model = apps.get_model(name)
        except (LookupError, ValueError) as error:
            raise TransferError(
                _(
                    "The export holds %(entity)s, which this install does not know; "
                    "is it from a newer Hamkor?"
                )
                % {"entity": name}
            ) from error
        found[name] = model
    return found


def _require_empty(using: str) -> None:
    """Refuse a database holding data of its own; what migrate makes does not count."""
    filled = [
        label_of(model)
        for model in exported_models(using)
        if label_of(model) not in MADE_BY_MIGRATE | SEEDED_BY_MIGRATIONS
        and model._base_manager.using(using).exists()
    ]
    if filled:
        raise TransferError(
            ngettext(
                "The database is not empty: %(entities)s has rows. Import into a new, "
                "migrated database.",
                "The database is not empty: %(entities)s have rows. Import into a new, "
                "migrated database.",
                len(filled),
            )
            % {"entities": ", ".join(filled[:5])}
        )


def _storage_for(field_name: str) -> Storage:
    label, _dot, name = field_name.rpartition(".")
    try:
        file_field = apps.get_model(label)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return default_storage
    return getattr(file_field, "storage", default_storage)


def _require_media_free(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """A file already in the target's storage must be the very same file."""
    for entry in manifest["media"]:
        storage = _storage_for(str(entry.get("field", "")))
        if not storage.exists(entry["name"]):
            continue
        with storage.open(entry["name"], "rb") as existing:
            same = _sha256_of(existing) == entry["sha256"]
        if not same:
            raise TransferError(
                _("The file %(name)s already exists in the media folder with other contents.")
                % {"name": entry["name"]}
            )


def _lines(archive: zipfile.ZipFile, member: str) -> Iterator[tuple[int, str]]:
    with archive.open(member) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8")
        for number, line in enumerate(text, start=1):
            if line.strip():
                yield number, line


def _load_entity(
    archive: zipfile.ZipFile, entry: dict[str, Any], model: type[models.Model], using: str
) -> int:
    fields = stored_fields(model)
    by_column = {f.attname: f for f in fields}
    connection = connections[using]
    batch_size = max(1, min(BATCH_ROWS, connection.ops.bulk_batch_size(fields, [None] * 500)))
    queryset: models.QuerySet[models.Model] = models.QuerySet(model=model, using=using)
    batch: list[models.Model] = []
    count = 0
    for number, line in _lines(archive, entry["file"]):
        where = {"entity": entry["name"], "line": number}
        try:
            row = json.loads(line)
            unknown = sorted(set(row) - set(by_column))
            if unknown:
                raise TransferError(
                    _("%(entity)s line %(line)s: this install has no column %(column)s.")
                    % {**where, "column": unknown[0]}
                )
            values = {column: decode_value(by_column[column], v) for column, v in row.items()}
        except (ValueError, ValidationError, TypeError) as error:
            raise TransferError(
                _("%(entity)s line %(line)s cannot be read: %(error)s") % {**where, "error": error}
            ) from error
        batch.append(model(**values))
        count += 1
        if len(batch) >= batch_size:
            # raw=True: the stored created_at/updated_at go in as they are (no auto_now).
            queryset._insert(batch, fields=fields, raw=True, using=using)  # type: ignore[attr-defined]
            batch = []
    if batch:
        queryset._insert(batch, fields=fields, raw=True, using=using)  # type: ignore[attr-defined]
    if count != entry.get("count"):
        raise TransferError(
            _("%(entity)s has %(found)s rows, but the manifest says %(expected)s.")
            % {"entity": entry["name"], "found": count, "expected": entry.get("count")}
        )
    return count


def _restore_media(
    archive: zipfile.ZipFile, manifest: dict[str, Any], written: list[tuple[Storage, str]]
) -> int:
    restored = 0
    for entry in manifest["media"]:
        storage = _storage_for(str(entry.get("field", "")))
        name = entry["name"]
        if storage.exists(name):
            continue  # the same file, checked before the transaction began
        with archive.open(entry["file"]) as source:
            saved = storage.save(name, File(source, name=name))
        written.append((storage, saved))
        if saved != name:
            raise TransferError(
                _("The file %(name)s could not be stored under its own name.") % {"name": name}
            )
        restored += 1
    return restored


def _clear_made_rows(order: list[type[models.Model]], exported: set[str], using: str) -> None:
    """Drop what migrate made (content types, permissions, default lists) for the export's."""
    replaced = MADE_BY_MIGRATE | SEEDED_BY_MIGRATIONS
    for model in reversed(order):
        label = label_of(model)
        if label in replaced and label in exported:
            model._base_manager.using(using).all().delete()
    ContentType.objects.clear_cache()


def _add_missing_content_types(using: str) -> None:
    """Content types and permissions of models the source install did not have yet."""
    ContentType.objects.clear_cache()
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using)
        create_permissions(app_config, verbosity=0, using=using)


def restore_install(*, source: Path, using: str = "default") -> RestoreResult:
    """Load the export ``source`` into this empty, migrated install in one transaction.

    Checks first (readable zip, known format, every checksum, migrated and empty target);
    writes nothing unless all of them pass, and nothing at all if loading fails.
    """
    archive = _open_archive(Path(source))
    with archive:
        manifest = _read_manifest(archive)
        _verify_checksums(archive, manifest)
        by_name = _models_of(manifest)
        require_migrated(using)
        _require_empty(using)
        _require_media_free(archive, manifest)
        entries = {entry["name"]: entry for entry in manifest["entities"]}
        order = [model for model in exported_models(using) if label_of(model) in entries]
        unloadable = sorted(set(by_name) - {label_of(model) for model in order})
        if unloadable:
            raise TransferError(
                _("The export holds %(entity)s, which this install does not store.")
                % {"entity": unloadable[0]}
            )
        result = RestoreResult()
        written: list[tuple[Storage, str]] = []
        connection = connections[using]
        try:
            with transaction.atomic(using=using):
                with connection.cursor() as cursor:
                    # Foreign keys are checked at commit: rows may point forward (cycles,
                    # self-references) while the tables are loaded one after the other.
                    if connection.vendor == "postgresql":
                        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                    elif connection.vendor == "sqlite":
                        cursor.execute("PRAGMA defer_foreign_keys = ON")
                _clear_made_rows(order, set(entries), using)
                for model in order:
                    name = label_of(model)
                    result.counts[name] = _load_entity(archive, entries[name], model, using)
                with connection.cursor() as cursor:
                    for statement in connection.ops.sequence_reset_sql(no_style(), order):
                        cursor.execute(statement)
                _add_missing_content_types(using)
                result.media = _restore_media(archive, manifest, written)
        except DatabaseError as error:
            _remove(written)
            raise TransferError(
                _("The import was undone; the database refused it: %(error)s") % {"error": error}
            ) from error
        except BaseException:
            _remove(written)
            raise
        finally:
            ContentType.objects.clear_cache()
    logger.info("Install restored", extra={"rows": result.rows, "media": result.media})
    return result


def _remove(written: list[tuple[Storage, str]]) -> None:
    for storage, name in written:
        storage.delete(name)
