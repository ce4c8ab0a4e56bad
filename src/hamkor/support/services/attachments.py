"""Files on ticket messages, with the same size and type limits as task attachments."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from hamkor.core.uploads import CheckedUpload, check_upload
from hamkor.support.models import TicketAttachment, TicketMessage

MAX_FILES = 5


def check_uploads(uploads: Sequence[UploadedFile]) -> list[CheckedUpload]:
    """Refuse empty, too large, disguised or disallowed files before anything is written."""
    if len(uploads) > MAX_FILES:
        raise ValidationError(
            {"file": _("Attach at most %(count)d files at a time.") % {"count": MAX_FILES}}
        )
    return [check_upload(upload) for upload in uploads]


def add_attachments(
    *, message: TicketMessage, uploads: Sequence[UploadedFile]
) -> list[TicketAttachment]:
    """Store checked uploads under the media directory (checked first: nothing half-saved)."""
    stored: list[TicketAttachment] = []
    for upload, checked in zip(uploads, check_uploads(uploads), strict=True):
        attachment = TicketAttachment(
            message=message,
            name=checked.name,
            size=checked.size,
            content_type=checked.content_type,
        )
        attachment.file.save(checked.name, upload, save=False)
        attachment.save()
        stored.append(attachment)

    return stored
