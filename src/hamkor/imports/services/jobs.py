"""Import jobs: upload a file, choose the mapping and options, check it, then import it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamkor.accounts.models import Role, User
from hamkor.core.audit import record_event
from hamkor.core.uploads import CSV, TEXT, TSV, VCARD, XLSX, UploadRules, check_upload
from hamkor.imports.models import DuplicateMode, ImportEntity, ImportJob, JobStatus
from hamkor.imports.services.engine import Counts, RunResult, run_file
from hamkor.imports.services.fields import check_mapping, guess_mapping
from hamkor.imports.services.readers import count_rows, open_table

IMPORT_ROLES = frozenset({Role.ADMIN, Role.MANAGER})
MAX_UPLOAD_MB = 200
PREVIEW_ROWS = 5
PROGRESS_SECONDS = 6 * 3600
# Checked from the file's content (hamkor.core.uploads): a disguised web page is refused.
UPLOAD_RULES = UploadRules(
    allowed=frozenset({CSV, TSV, TEXT, VCARD, XLSX}),
    allowed_label="CSV, TSV, TXT, XLSX, VCF",
    max_bytes=lambda: MAX_UPLOAD_MB * 1024 * 1024,
    refused_message=gettext_lazy("Files of this type cannot be imported. Allowed: %(types)s."),
)


def can_import(user: Any) -> bool:
    """Administrators and managers import: an import writes across every team's records."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or user.role in IMPORT_ROLES)
    )


def _require(actor: User) -> None:
    if not can_import(actor):
        raise PermissionDenied(_("Only administrators and managers can import data."))


def _check_options(entity: str, duplicates: str) -> None:
    errors: dict[str, str] = {}
    if entity not in ImportEntity.values:
        errors["entity"] = _("Choose what the file holds: contacts, companies, products or orders.")
    if duplicates not in DuplicateMode.values:
        errors["duplicates"] = _("Choose skip, update or create for duplicates.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_job(
    *,
    actor: User,
    upload: UploadedFile,
    entity: str,
    mapping: Mapping[str, str] | None = None,
    duplicates: str = DuplicateMode.SKIP,
    skip_bad_rows: bool = False,
) -> ImportJob:
    """Store an uploaded file and read its columns; the mapping is guessed unless given."""
    _require(actor)
    _check_options(entity, duplicates)
    if not upload.size:
        raise ValidationError({"file": _("The file is empty.")})
    if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
        raise ValidationError(
            {"file": _("The file is larger than %(size)d MB.") % {"size": MAX_UPLOAD_MB}}
        )
    check_upload(upload, UPLOAD_RULES)
    job = ImportJob(
        created_by=actor,
        original_name=Path(upload.name or "upload").name[:255],
        entity=entity,
        duplicates=duplicates,
        skip_bad_rows=skip_bad_rows,
    )
    job.file.save(job.original_name, upload, save=False)
    path = Path(job.file.path)
    try:
        with open_table(path, name=job.original_name) as table:
            job.headers = table.headers
            job.file_format = table.file_format
    except ValidationError as error:
        job.file.delete(save=False)
        raise ValidationError({"file": error.messages}) from None
    job.mapping = dict(mapping) if mapping is not None else guess_mapping(job.headers, entity)
    problems = check_mapping(job.mapping, job.headers, entity) if mapping is not None else []
    if problems:
        job.file.delete(save=False)
        raise ValidationError({"mapping": problems})
    job.total_rows = count_rows(path, job.file_format)
    job.save()
    record_event(actor=actor, verb="import.uploaded", target=job, data={"name": job.original_name})
    return job


def preview(job: ImportJob, *, limit: int = PREVIEW_ROWS) -> list[list[str]]:
    """The first data rows of the file, padded to the header's width."""
    rows: list[list[str]] = []
    with open_table(Path(job.file.path), name=job.original_name) as table:
        width = len(table.headers)
        for _number, cells in table.rows:
            rows.append((cells + [""] * width)[:width])
            if len(rows) >= limit:
                break
    return rows


@transaction.atomic
def set_options(
    *,
    job: ImportJob,
    actor: User,
    mapping: Mapping[str, str],
    duplicates: str,
    skip_bad_rows: bool,
) -> ImportJob:
    """Change the mapping and options of a job not yet imported; an earlier check is void."""
    _require(actor)
    _check_options(job.entity, duplicates)
    if job.applied_at is not None or job.is_running:
        raise ValidationError(_("This import has already run; upload the file again."))
    cleaned = {header: key for header, key in mapping.items() if key}
    problems = check_mapping(cleaned, job.headers, job.entity)
    if problems:
        raise ValidationError({"mapping": problems})
    job.mapping = cleaned
    job.duplicates = duplicates
    job.skip_bad_rows = skip_bad_rows
    job.status = JobStatus.UPLOADED
    job.save(update_fields=["mapping", "duplicates", "skip_bad_rows", "status", "updated_at"])
    return job


@transaction.atomic
def queue_run(*, job: ImportJob, actor: User, dry_run: bool) -> ImportJob:
    """Queue a check (dry run) or the import in the background; an import happens once."""
    from hamkor.imports.tasks import run_import_task

    _require(actor)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.applied_at is not None:
        raise ValidationError(_("This file has already been imported."))
    if job.is_running:
        raise ValidationError(_("This import is already running."))
    problems = check_mapping(job.mapping, job.headers, job.entity)
    if problems:
        raise ValidationError({"mapping": problems})
    job.status = JobStatus.QUEUED
    job.dry_run = dry_run
    job.processed_rows = 0
    job.message = ""
    job.save(update_fields=["status", "dry_run", "processed_rows", "message", "updated_at"])
    cache.set(_progress_key(job.pk), 0, PROGRESS_SECONDS)
    transaction.on_commit(lambda: run_import_task(job.pk))
    return job


def _progress_key(pk: int) -> str:
    return f"imports:progress:{pk}"


def current_progress(job: ImportJob) -> int:
    """Rows processed so far: live from the cache while running (the import's transaction
    hides its own writes), from the job afterwards."""
    if job.is_running:
        value = cache.get(_progress_key(job.pk))
        if isinstance(value, int):
            return value
    return job.processed_rows


def _start(job_id: int) -> ImportJob | None:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.applied_at is not None:
            return None
        if job.status not in (JobStatus.QUEUED, JobStatus.CHECKING, JobStatus.IMPORTING):
            # Finished (or re-opened for a new mapping): a late retry does nothing.
            return None
        job.status = JobStatus.CHECKING if job.dry_run else JobStatus.IMPORTING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at", "updated_at"])
    return job


def run_job(*, job_id: int) -> ImportJob | None:
    """Run a queued job (the background task); safe to call twice, a job is applied once."""
    job = _start(job_id)
    if job is None:
        return None
    assert job.created_by is not None  # noqa: S101 - only users create jobs
    key = _progress_key(job.pk)

    def progress(done: int) -> None:
        cache.set(key, done, PROGRESS_SECONDS)

    def mark_applied(counts: Counts) -> None:
        marked = ImportJob.objects.filter(pk=job.pk, applied_at__isnull=True).update(
            applied_at=timezone.now()
        )
        if not marked:
            raise ValidationError(_("This file has already been imported."))
        record_event(
            actor=job.created_by,
            verb="import.applied",
            target=job,
            data={"entity": job.entity, "new": counts.new, "updated": counts.updated},
        )

    try:
        result = run_file(
            path=Path(job.file.path),
            name=job.original_name,
            entity=job.entity,
            mapping=job.mapping,
            duplicates=job.duplicates,
            skip_bad_rows=job.skip_bad_rows,
            actor=job.created_by,
            write=not job.dry_run,
            on_progress=progress,
            on_written=mark_applied,
        )
    except ValidationError as error:
        job.refresh_from_db()
        if job.applied_at is not None:
            return job
        job.status = JobStatus.FAILED
        job.message = " ".join(error.messages)
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "finished_at", "updated_at"])
        return job
    _finish(job, result)
    cache.delete(key)
    return job


def _finish(job: ImportJob, result: RunResult) -> None:
    counts = result.counts
    job.refresh_from_db(fields=["applied_at"])
    job.total_rows = result.total_rows
    job.processed_rows = counts.processed
    job.new_count = counts.new
    job.updated_count = counts.updated
    job.skipped_count = counts.skipped
    job.error_count = counts.errors
    job.error_sample = result.error_sample
    job.message = result.message
    job.finished_at = timezone.now()
    if job.dry_run:
        job.status = JobStatus.CHECKED
    else:
        job.status = JobStatus.DONE if result.written else JobStatus.FAILED
    if job.errors_file:
        job.errors_file.delete(save=False)
    if result.errors_csv:
        job.errors_file.save(f"{job.uuid}-errors.csv", ContentFile(result.errors_csv), save=False)
    job.save()
