"""REST API of imports: upload a file (checked or imported in the background), follow it,
download its per-row errors."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status, UploadedFile
from ninja.errors import HttpError

from hamkor.accounts.models import User
from hamkor.contacts.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut
from hamkor.core.audit import record_event
from hamkor.imports.models import DuplicateMode, ImportJob
from hamkor.imports.schemas import ImportJobOut
from hamkor.imports.selectors import get_job
from hamkor.imports.services import can_import, create_job, queue_run
from hamkor.imports.views.downloads import errors_response

router = Router(tags=["imports"])


def _viewer(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_import(user):
        raise HttpError(403, _("Only administrators and managers can import data."))
    return user


def _json_object(text: str, name: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        raise ValidationError({name: _("Send a JSON object.")}) from None
    if not isinstance(value, dict):
        raise ValidationError({name: _("Send a JSON object.")})
    return value


@router.post("/", response={202: ImportJobOut, **WRITE_ERRORS, 403: ErrorOut})
def upload(
    request: HttpRequest,
    file: File[UploadedFile],
    entity: Form[str],
    mapping: Form[str] = "",
    options: Form[str] = "",
    dry_run: Form[bool] = True,
) -> Status[ImportJob]:
    """Upload a file and start a dry run (default) or the import, in the background.

    `mapping` is a JSON object of column header -> field (guessed from the headers when
    left out); `options` a JSON object with `duplicates` (skip, update or create) and
    `skip_bad_rows` (import the good rows when some have errors; default false: nothing).
    """
    viewer = _viewer(request)
    mapping_value = _json_object(mapping, "mapping") if mapping else None
    if mapping_value is not None and not all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping_value.items()
    ):
        raise ValidationError({"mapping": _("Map each column name to a field name.")})
    option_values = _json_object(options, "options")
    unknown = set(option_values) - {"duplicates", "skip_bad_rows"}
    if unknown:
        raise ValidationError(
            {"options": _("Unknown options: %(names)s.") % {"names": ", ".join(sorted(unknown))}}
        )
    job = create_job(
        actor=viewer,
        upload=file,
        entity=entity,
        mapping=mapping_value,
        duplicates=str(option_values.get("duplicates", DuplicateMode.SKIP)),
        skip_bad_rows=bool(option_values.get("skip_bad_rows", False)),
    )
    queue_run(job=job, actor=viewer, dry_run=dry_run)
    job.refresh_from_db()
    return Status(202, job)


@router.get("/{job_id}", response={200: ImportJobOut, **READ_ERRORS, 403: ErrorOut})
def detail(request: HttpRequest, job_id: int) -> ImportJob:
    """A job's status, counts and progress."""
    return get_job(viewer=_viewer(request), pk=job_id)


@router.post("/{job_id}/run", response={202: ImportJobOut, **WRITE_ERRORS, 403: ErrorOut})
def run(request: HttpRequest, job_id: int, dry_run: bool = False) -> Status[ImportJob]:
    """Import a checked file (or check it again with dry_run=true); once only."""
    viewer = _viewer(request)
    job = queue_run(job=get_job(viewer=viewer, pk=job_id), actor=viewer, dry_run=dry_run)
    job.refresh_from_db()
    return Status(202, job)


ERRORS_CSV = {
    "responses": {
        "200": {
            "description": "Row, column, message and the row's original values, as CSV.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


@router.get("/{job_id}/errors", response={**READ_ERRORS, 403: ErrorOut}, openapi_extra=ERRORS_CSV)
def errors(request: HttpRequest, job_id: int) -> HttpResponse:
    """The per-row errors as CSV: row, column, message and the row's original values."""
    viewer = _viewer(request)
    job = get_job(viewer=viewer, pk=job_id)
    record_event(actor=viewer, verb="import.errors_downloaded", target=job)
    return errors_response(job)
