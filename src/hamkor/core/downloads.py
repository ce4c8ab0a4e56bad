"""Sending a stored upload back: the same way for task and ticket attachments, page and API.

The type sent is read again from the stored bytes (``hamkor.core.uploads.sniff_type``), not
taken from what was recorded at upload: a file stored before uploads were checked, or put into
the media folder by other means, is never sent as a web page. Anything that is not a proven
picture or PDF goes out as ``application/octet-stream``.
"""

from __future__ import annotations

from typing import Protocol

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

from hamkor.core.uploads import INLINE_TYPES, sniff_type

# Even if a browser did render the file, it would get no scripts, no forms, no same-origin
# access to our pages or cookies.
FILE_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"


class StoredUpload(Protocol):
    file: FieldFile
    name: str
    content_type: str


def attachment_response(attachment: StoredUpload, *, inline: bool = False) -> FileResponse:
    """The file as a download; 404 if the file is gone from the media directory.

    ``inline=True`` shows pictures and PDFs in the browser tab (with their proven type);
    every other file is still a download.
    """
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    sniffed = sniff_type(handle, attachment.name)
    show_inline = inline and sniffed in INLINE_TYPES
    response = FileResponse(
        handle,
        as_attachment=not show_inline,
        filename=attachment.name,
        content_type=sniffed or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, no-store"
    return response
