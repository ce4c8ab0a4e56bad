"""Sending a stored upload back: the same way for task and ticket attachments, page and API."""

from __future__ import annotations

from typing import Protocol

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


class StoredUpload(Protocol):
    file: FieldFile
    name: str
    content_type: str


def attachment_response(attachment: StoredUpload) -> FileResponse:
    """The file as a download (never shown inline, so it cannot act as our page); 404 if
    the file is gone from the media directory."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
