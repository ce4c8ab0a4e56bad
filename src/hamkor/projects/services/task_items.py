"""Writes for what hangs off a task: checklist items, comments and attachments."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.core.audit import record_event
from hamkor.core.uploads import check_upload
from hamkor.projects.models import ChecklistItem, Task, TaskAttachment, TaskComment


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


@transaction.atomic
def add_attachment(*, task: Task, upload: UploadedFile, actor: User) -> TaskAttachment:
    """Store an uploaded file under the media directory and attach it to the task.

    Refuses files over ``HAMKOR_ATTACHMENT_MAX_MB`` and anything whose content is not one of
    ``ATTACHMENT_TYPES`` (web pages and SVG disguised under another name included).
    """
    checked = check_upload(upload)
    name, size, content_type = checked.name, checked.size, checked.content_type
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
