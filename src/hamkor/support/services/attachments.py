"""Files on ticket messages, with the same size and type limits as task attachments."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from hamkor.projects.services.task_items import attachment_type, max_attachment_bytes
from hamkor.support.models import TicketAttachment, TicketMessage

MAX_FILES = 5


def check_uploads(uploads: Sequence[UploadedFile]) -> None:
    """Refuse empty, too large or disallowed files before anything is written."""
    if len(uploads) > MAX_FILES:
        raise ValidationError(
            {"file": _("Attach at most %(count)d files at a time.") % {"count": MAX_FILES}}
        )
    limit = max_attachment_bytes()
    for upload in uploads:
        name = PurePath(str(upload.name or "")).name
        if not name or not upload.size:
            raise ValidationError({"file": _("Choose a file that is not empty.")})
        if int(upload.size) > limit:
            raise ValidationError(
                {
                    "file": _("The file is larger than the limit of %(mb)d MB.")
                    % {"mb": limit // (1024 * 1024)}
                }
            )
        attachment_type(name)


def add_attachments(
    *, message: TicketMessage, uploads: Sequence[UploadedFile]
) -> list[TicketAttachment]:
    """Store checked uploads under the media directory (checked first: nothing half-saved)."""
    stored: list[TicketAttachment] = []
    for upload in uploads:
        name = PurePath(str(upload.name or "")).name[:255]
        attachment = TicketAttachment(
            message=message,
            name=name,
            size=int(upload.size or 0),
            content_type=attachment_type(name),
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        stored.append(attachment)

    return stored
