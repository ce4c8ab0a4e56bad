"""Writes for what hangs off a task: checklist items, comments and attachments."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.core.audit import record_event
from hamkor.projects.models import ChecklistItem, Task, TaskAttachment, TaskComment

# File types people attach to work: documents, spreadsheets, slides, images, archives.
# The type is worked out from the file name, not taken from the browser's claim.
ATTACHMENT_TYPES = frozenset(
    {
        "application/pdf",
        "text/plain",
        "text/csv",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "application/zip",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
    }
)
ATTACHMENT_EXTENSIONS = "PDF, TXT, CSV, PNG, JPG, GIF, WEBP, ZIP, DOC(X), XLS(X), PPT(X), ODT, ODS"


def max_attachment_bytes() -> int:
    """The size limit from ``HAMKOR_ATTACHMENT_MAX_MB``, read at call time."""
    return int(getattr(settings, "HAMKOR_ATTACHMENT_MAX_MB", 10)) * 1024 * 1024


@transaction.atomic
def add_checklist_item(*, task: Task, text: str, actor: User) -> ChecklistItem:
    """Append an item to the task's checklist."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write what has to be checked.")})
    last = task.checklist.aggregate(last=Max("position"))["last"]
    item = ChecklistItem(task=task, text=text, position=0 if last is None else last + 1)
    item.full_clean()
    item.save()
    record_event(actor=actor, verb="task.checklist_added", target=task, data={"item": item.pk})
    return item


@transaction.atomic
def set_checklist_item_done(*, item: ChecklistItem, done: bool, actor: User) -> ChecklistItem:
    """Tick or untick a checklist item."""
    if item.done != done:
        item.done = done
        item.save(update_fields=["done"])
        record_event(
            actor=actor,
            verb="task.checklist_ticked",
            target=item.task,
            data={"item": item.pk, "done": done},
        )
    return item


@transaction.atomic
def delete_checklist_item(*, item: ChecklistItem, actor: User) -> None:
    """Remove a checklist item."""
    task = item.task
    data = {"item": item.pk, "text": item.text}
    item.delete()
    record_event(actor=actor, verb="task.checklist_removed", target=task, data=data)


@transaction.atomic
def add_comment(*, task: Task, body: str, actor: User) -> TaskComment:
    """Write a comment on a task."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    comment = TaskComment(task=task, author=actor, body=body)
    comment.full_clean()
    comment.save()
    record_event(actor=actor, verb="task.commented", target=task, data={"comment": comment.pk})
    return comment


def attachment_type(name: str) -> str:
    """The content type of an allowed file name; ValidationError naming the allowed types."""
    guessed, _encoding = mimetypes.guess_type(name, strict=False)
    if guessed not in ATTACHMENT_TYPES:
        raise ValidationError(
            {
                "file": _("Files of this type cannot be attached. Allowed: %(types)s.")
                % {"types": ATTACHMENT_EXTENSIONS}
            }
        )
    return str(guessed)


@transaction.atomic
def add_attachment(*, task: Task, upload: UploadedFile, actor: User) -> TaskAttachment:
    """Store an uploaded file under the media directory and attach it to the task.

    Refuses files over ``HAMKOR_ATTACHMENT_MAX_MB`` and types outside ``ATTACHMENT_TYPES``.
    """
    name = PurePath(str(upload.name or "")).name[:255]
    size = int(upload.size or 0)
    if not name or size == 0:
        raise ValidationError({"file": _("Choose a file that is not empty.")})
    limit = max_attachment_bytes()
    if size > limit:
        raise ValidationError(
            {
                "file": _("The file is larger than the limit of %(mb)d MB.")
                % {"mb": limit // (1024 * 1024)}
            }
        )
    content_type = attachment_type(name)
    attachment = TaskAttachment(
        task=task, name=name, size=size, content_type=content_type, uploaded_by=actor
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.full_clean()
        attachment.save()
        record_event(
            actor=actor,
            verb="task.attachment_added",
            target=task,
            data={"attachment": attachment.pk, "name": name, "size": size},
        )
    except Exception:
        # Django has no rollback hook: a failed upload must not leave its file behind.
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def delete_attachment(*, attachment: TaskAttachment, actor: User) -> None:
    """Remove an attachment and, once that is committed, its file."""
    task, stored = attachment.task, attachment.file.name
    data = {"attachment": attachment.pk, "name": attachment.name}
    attachment.delete()
    record_event(actor=actor, verb="task.attachment_removed", target=task, data=data)

    def remove_file() -> None:
        attachment.file.storage.delete(stored)

    transaction.on_commit(remove_file)
