"""Sending a task attachment back, the same way for the web page and the API."""

from __future__ import annotations

from django.http import FileResponse, Http404

from hamkor.projects.models import TaskAttachment


def attachment_response(attachment: TaskAttachment) -> FileResponse:
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
