"""Export everything held about one person: one JSON file per kind of record, plus files."""

from __future__ import annotations

import datetime
import json
import logging
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from hamkor.accounts.models import User
from hamkor.contacts.models import Contact
from hamkor.core.audit import record_event
from hamkor.privacy.holdings import Holdings, collect_holdings
from hamkor.privacy.models import PrivacyRequest, RequestKind, RequestStatus
from hamkor.transfer.codec import encode_value
from hamkor.transfer.registry import file_fields, label_of, stored_fields

logger = logging.getLogger(__name__)

FORMAT_NAME = "hamkor-person-export"
FORMAT_VERSION = 1
COPY_BYTES = 1024 * 1024


def export_folder() -> Path:
    """Where export zips wait for download: under VAR_DIR, never served as media."""
    folder = Path(settings.VAR_DIR) / "privacy-exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _rows(model: type[models.Model], pks: set[object]) -> list[dict[str, Any]]:
    fields = stored_fields(model)
    columns = [f.attname for f in fields]
    rows = model._base_manager.filter(pk__in=list(pks)).order_by("pk").values_list(*columns)
    return [
        {column: encode_value(value) for column, value in zip(columns, row, strict=True)}
        for row in rows
    ]


def _summary(contact: Contact) -> dict[str, Any]:
    """The readable card: what the ids in the other files stand for."""
    return {
        "id": contact.pk,
        "name": contact.full_name,
        "phones": list(contact.phones.values_list("number", flat=True)),
        "emails": list(contact.emails.values_list("email", flat=True)),
        "company": contact.company.name if contact.company else "",
        "source": contact.source.name if contact.source else "",
        "tags": list(contact.tags.order_by("name").values_list("name", flat=True)),
        "stage": contact.stage,
        "language": contact.language,
        "created_at": encode_value(contact.created_at),
    }


def write_person_zip(
    *, contact: Contact, output: Path, holdings: Holdings | None = None
) -> dict[str, Any]:
    """Write the person's zip to ``output`` (temporary name, then renamed); return its manifest."""
    holdings = holdings or collect_holdings(contact)
    entities: list[dict[str, Any]] = []
    files: list[dict[str, Any]] = []
    missing: list[str] = []
    descriptor, temporary = tempfile.mkstemp(prefix=".privacy-", suffix=".zip", dir=output.parent)
    os.close(descriptor)
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                "person.json", json.dumps(_summary(contact), ensure_ascii=False, indent=1)
            )
            for model in sorted(holdings.rows, key=label_of):
                pks = holdings.rows[model]
                name = label_of(model)
                rows = _rows(model, pks)
                member = f"data/{name}.json"
                archive.writestr(member, json.dumps(rows, ensure_ascii=False, indent=1))
                entities.append({"name": name, "file": member, "count": len(rows)})
                for file_field in file_fields(model):
                    for row in rows:
                        stored = row.get(file_field.attname) or ""
                        if stored:
                            _add_file(archive, file_field, stored, files, missing)
            manifest = {
                "format": FORMAT_NAME,
                "format_version": FORMAT_VERSION,
                "contact_id": contact.pk,
                "merged_contact_ids": [pk for pk in holdings.contact_ids if pk != contact.pk],
                "created_at": timezone.now().isoformat(),
                "entities": entities,
                "files": files,
                "missing_files": missing,
            }
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        Path(temporary).replace(output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return manifest


def _add_file(
    archive: zipfile.ZipFile,
    file_field: models.FileField,
    stored: str,
    files: list[dict[str, Any]],
    missing: list[str],
) -> None:
    member = f"files/{stored}"
    if any(entry["file"] == member for entry in files):
        return
    try:
        source = file_field.storage.open(stored, "rb")
    except FileNotFoundError:
        logger.warning("Stored file missing from a person's export", extra={"file": stored})
        missing.append(stored)
        return
    with source, archive.open(member, "w") as target:
        while chunk := source.read(COPY_BYTES):
            target.write(chunk)
    origin = f"{label_of(file_field.model)}.{file_field.name}"
    files.append({"name": stored, "file": member, "field": origin})


def export_contact(
    *, contact: Contact, actor: User | None, output: Path | None = None, note: str = ""
) -> PrivacyRequest:
    """Write the person's export zip, log it as a fulfilled request and an audit event.

    Without ``output`` the zip goes to the private export folder, for download from the
    request's page; with it (the CLI) it goes there and the log keeps the path.
    """
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    target = Path(output) if output else export_folder() / f"contact-{contact.pk}-{stamp}.zip"
    manifest = write_person_zip(contact=contact, output=target)
    with transaction.atomic():
        request = PrivacyRequest.objects.create(
            kind=RequestKind.EXPORT,
            contact=contact,
            contact_id_value=contact.pk,
            requested_by=actor,
            status=RequestStatus.DONE,
            fulfilled_at=timezone.now(),
            note=note,
            result_file=str(target) if output else target.name,
            summary={e["name"]: e["count"] for e in manifest["entities"]}
            | {"files": len(manifest["files"])},
        )
        record_event(
            actor=actor,
            verb="privacy.exported",
            target=contact,
            data={"request": request.pk, "records": sum(e["count"] for e in manifest["entities"])},
        )
    return request


def export_path(request: PrivacyRequest) -> Path | None:
    """The zip of an export request, if it is still on disk."""
    if request.kind != RequestKind.EXPORT or not request.result_file:
        return None
    path = Path(request.result_file)
    if not path.is_absolute():
        path = export_folder() / path
    return path if path.is_file() else None


EXPORT_KEEP_DAYS = 7


def remove_old_exports(*, now: datetime.datetime | None = None) -> int:
    """Delete export zips older than EXPORT_KEEP_DAYS from the private folder; returns how many.

    A zip holds everything about a person: it waits for its download, not for ever.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=EXPORT_KEEP_DAYS)
    removed = 0
    for request in PrivacyRequest.objects.filter(
        kind=RequestKind.EXPORT, fulfilled_at__lt=cutoff
    ).exclude(result_file=""):
        path = export_path(request)
        if path is not None and path.parent.resolve() != export_folder().resolve():
            continue  # written by the CLI where the admin asked: theirs to keep
        if path is not None:
            path.unlink(missing_ok=True)
            removed += 1
        PrivacyRequest.objects.filter(pk=request.pk).update(result_file="")
    return removed
