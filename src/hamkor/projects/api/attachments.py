"""REST API for task attachments: list, upload (multipart), download and remove.

The routes hang on the tasks router, so they sit under ``/tasks/{task_id}/attachments``
and answer 404 for tasks the caller may not see, like the rest of it.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Status, UploadedFile

from hamkor.contacts.api import viewer_of
from hamkor.contacts.schemas import READ_ERRORS, WRITE_ERRORS
from hamkor.core.downloads import attachment_response
from hamkor.projects.api.projects import tasks_router
from hamkor.projects.models import Task, TaskAttachment
from hamkor.projects.schemas import AttachmentListOut, AttachmentOut
from hamkor.projects.selectors.tasks import get_attachment, get_task
from hamkor.projects.services.task_items import add_attachment, delete_attachment

BINARY = {"schema": {"type": "string", "format": "binary"}}
FILE_RESPONSE = {
    "responses": {
        "200": {
            "description": "The file as it was uploaded, always as a download.",
            "content": {"application/octet-stream": BINARY},
        }
    }
}


def _task(request: HttpRequest, task_id: int) -> Task:
    return get_task(viewer=viewer_of(request), pk=task_id)


def _attachment(request: HttpRequest, task_id: int, attachment_id: int) -> TaskAttachment:
    # One query: the visibility rule of get_attachment, and the file must be this task's.
    attachment = get_attachment(viewer=viewer_of(request), pk=attachment_id)
    if attachment.task_id != task_id:
        raise TaskAttachment.DoesNotExist
    return attachment


@tasks_router.get(
    "/{task_id}/attachments",
    response={200: AttachmentListOut, **READ_ERRORS},
    summary="A task's attachments",
)
def list_attachments_view(request: HttpRequest, task_id: int) -> dict[str, Any]:
    # get_task has already loaded them, with who uploaded each.
    items = list(_task(request, task_id).attachments.all())
    return {"items": items, "count": len(items)}


@tasks_router.post(
    "/{task_id}/attachments",
    response={201: AttachmentOut, **WRITE_ERRORS},
    summary="Attach a file (multipart form field `file`; size and type limits apply)",
)
def add_attachment_view(
    request: HttpRequest, task_id: int, file: File[UploadedFile]
) -> Status[TaskAttachment]:
    attachment = add_attachment(task=_task(request, task_id), upload=file, actor=viewer_of(request))
    return Status(201, attachment)


@tasks_router.get(
    "/{task_id}/attachments/{attachment_id}",
    response={**READ_ERRORS},
    summary="Download an attachment",
    openapi_extra=FILE_RESPONSE,
)
def download_attachment_view(
    request: HttpRequest, task_id: int, attachment_id: int
) -> FileResponse:
    return attachment_response(_attachment(request, task_id, attachment_id))


@tasks_router.delete(
    "/{task_id}/attachments/{attachment_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Remove an attachment and its file",
)
def delete_attachment_view(request: HttpRequest, task_id: int, attachment_id: int) -> Status[None]:
    attachment = _attachment(request, task_id, attachment_id)
    delete_attachment(attachment=attachment, actor=viewer_of(request))
    return Status(204, None)
