"""The errors file of a job as a download, shared by the page and the API."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from hamkor.imports.models import ImportJob
from hamkor.imports.services.engine import ErrorSink


def errors_response(job: ImportJob) -> HttpResponse:
    """The CSV of per-row errors (only its header when the check found none)."""
    if job.errors_file:
        try:
            with job.errors_file.open("rb") as handle:
                content = handle.read()
        except FileNotFoundError:
            content = b""
    else:
        content = b""
    if not content:
        sink = ErrorSink(job.headers)
        content = sink.content()
        sink.close()
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    stem = job.original_name.rsplit(".", 1)[0] or "import"
    filename = _("%(name)s-errors.csv") % {"name": stem}
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
