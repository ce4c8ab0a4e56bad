"""Sending a ticket attachment back, the same way as task attachments (projects/downloads.py)."""

from __future__ import annotations

from django.http import FileResponse, Http404

from hamkor.support.models import TicketAttachment


def attachment_response(attachment: TicketAttachment) -> FileResponse:
    """The file as a download (never inline, so it cannot act as our page); 404 if gone."""
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
