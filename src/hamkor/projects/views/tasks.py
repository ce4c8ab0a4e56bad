"""Task pages: create, detail, edit, status, pick-up, dependencies, checklist, comments,
attachments (downloaded only through a view that checks visibility), and My tasks."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamkor.contacts.forms import apply_service_errors
from hamkor.contacts.views.common import AuthedRequest, wants_partial
from hamkor.core.downloads import attachment_response
from hamkor.core.uploads import max_attachment_bytes
from hamkor.projects.forms import (
    AttachmentForm,
    ChecklistItemForm,
    CommentForm,
    DependencyForm,
    TaskForm,
    TaskStatusForm,
)
from hamkor.projects.models import ChecklistItem, Task, TaskAttachment, TaskStatus
from hamkor.projects.selectors.tasks import (
    get_attachment,
    get_checklist_item,
    list_my_tasks,
    list_role_queue,
)
from hamkor.projects.services.projects import require_manager
from hamkor.projects.services.task_items import (
    add_attachment,
    add_checklist_item,
    add_comment,
    delete_attachment,
    delete_checklist_item,
    set_checklist_item_done,
)
from hamkor.projects.services.tasks import (
    add_dependency,
    change_task_status,
    create_task,
    pick_up_task,
    remove_dependency,
    update_task,
)
from hamkor.projects.views.common import next_url, visible_project, visible_task


def task_url(task: Task) -> str:
    return reverse("projects:task_detail", args=[task.pk])


def _detail_context(request: AuthedRequest, task: Task, **forms: Any) -> dict[str, Any]:
    return {
        "task": task,
        "project": task.project,
        "status_form": forms.get("status_form") or TaskStatusForm(initial={"stage": task.status}),
        "dependency_form": forms.get("dependency_form") or DependencyForm(task=task),
        "checklist_form": forms.get("checklist_form") or ChecklistItemForm(),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "max_mb": max_attachment_bytes() // (1024 * 1024),
        "can_pick_up": task.assignee_id is None
        and bool(task.role)
        and task.role == request.user.role
        and task.status != TaskStatus.DONE,
        "statuses": TaskStatus.choices,
    }


def _render_detail(
    request: AuthedRequest, pk: int, status: int = 200, **forms: Any
) -> HttpResponse:
    task = visible_task(request, pk)
    return render(
        request, "projects/task_detail.html", _detail_context(request, task, **forms), status=status
    )


@login_required
@require_GET
def task_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A task with its checklist, comments, attachments and dependencies."""
    return _render_detail(request, pk)


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: AuthedRequest, project_pk: int) -> HttpResponse:
    """Add a task to a project (its manager, team and managers only)."""
    project = visible_project(request, project_pk)
    require_manager(viewer=request.user, project=project)
    form = TaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            task = create_task(project=project, values=form.values(), actor=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Task “%(title)s” added.") % {"title": task})
            return redirect("projects:detail", project.pk)
    return render(request, "projects/task_form.html", {"form": form, "project": project})


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Edit a task's details."""
    task = visible_task(request, pk)
    form = TaskForm(request.POST or None, task=task)
    if request.method == "POST" and form.is_valid():
        try:
            update_task(task=task, values=form.values(), actor=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("projects:task_detail", task.pk)
    return render(
        request, "projects/task_form.html", {"form": form, "project": task.project, "task": task}
    )


@login_required
@require_POST
def task_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """Change a task's status; a refusal (it waits for another task) shows beside the field."""
    task = visible_task(request, pk)
    form = TaskStatusForm(request.POST)
    if form.is_valid():
        try:
            change_task_status(task=task, status=form.cleaned_data["stage"], actor=request.user)
        except ValidationError as error:
            form.add_error("stage", error.messages)
        else:
            messages.success(request, _("Status changed."))
            return redirect(next_url(request, task_url(task)))
    return _render_detail(request, pk, status=422, status_form=form)


@login_required
@require_POST
def task_pick_up(request: AuthedRequest, pk: int) -> HttpResponse:
    """Take an unassigned task meant for one's role."""
    task = visible_task(request, pk)
    try:
        pick_up_task(task=task, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The task is yours now."))
    return redirect(next_url(request, task_url(task)))


@login_required
@require_POST
def dependency_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Make the task wait for another task of its project."""
    task = visible_task(request, pk)
    form = DependencyForm(request.POST, task=task)
    if form.is_valid():
        try:
            add_dependency(
                task=task, depends_on=form.cleaned_data["depends_on"], actor=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect(task_url(task))
    return _render_detail(request, pk, status=422, dependency_form=form)


@login_required
@require_POST
def dependency_remove(request: AuthedRequest, pk: int, other_pk: int) -> HttpResponse:
    """Stop the task waiting for another one."""
    task = visible_task(request, pk)
    other = next((t for t in task.depends_on.all() if t.pk == other_pk), None)
    if other is None:
        raise Http404
    remove_dependency(task=task, depends_on=other, actor=request.user)
    return redirect(task_url(task))


def _checklist(request: AuthedRequest, task: Task) -> HttpResponse:
    if wants_partial(request):
        fresh = visible_task(request, task.pk)
        return render(request, "projects/_checklist.html", _detail_context(request, fresh))
    return redirect(task_url(task))


@login_required
@require_POST
def checklist_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Append a checklist item."""
    task = visible_task(request, pk)
    form = ChecklistItemForm(request.POST)
    if form.is_valid():
        try:
            add_checklist_item(task=task, text=form.cleaned_data["text"], actor=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _checklist(request, task)
    if wants_partial(request):
        context = _detail_context(request, task, checklist_form=form)
        return render(request, "projects/_checklist.html", context, status=422)
    return _render_detail(request, pk, status=422, checklist_form=form)


def _item(task: Task, item_pk: int) -> ChecklistItem:
    try:
        return get_checklist_item(task=task, pk=item_pk)
    except ChecklistItem.DoesNotExist:
        raise Http404 from None


@login_required
@require_POST
def checklist_toggle(request: AuthedRequest, pk: int, item_pk: int) -> HttpResponse:
    """Tick or untick a checklist item (``done`` = "1" ticks)."""
    task = visible_task(request, pk)
    item = _item(task, item_pk)
    set_checklist_item_done(item=item, done=request.POST.get("done") == "1", actor=request.user)
    return _checklist(request, task)


@login_required
@require_POST
def checklist_delete(request: AuthedRequest, pk: int, item_pk: int) -> HttpResponse:
    """Remove a checklist item."""
    task = visible_task(request, pk)
    delete_checklist_item(item=_item(task, item_pk), actor=request.user)
    return _checklist(request, task)


@login_required
@require_POST
def comment_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Write a comment."""
    task = visible_task(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            add_comment(task=task, body=form.cleaned_data["body"], actor=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect(f"{task_url(task)}#comments")
    return _render_detail(request, pk, status=422, comment_form=form)


@login_required
@require_POST
def attachment_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Upload a file (size and type limits apply)."""
    task = visible_task(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            add_attachment(task=task, upload=form.cleaned_data["file"], actor=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("File attached."))
            return redirect(f"{task_url(task)}#attachments")
    return _render_detail(request, pk, status=422, attachment_form=form)


def _visible_attachment(request: AuthedRequest, pk: int) -> TaskAttachment:
    try:
        return get_attachment(viewer=request.user, pk=pk)
    except TaskAttachment.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def attachment_download(request: AuthedRequest, pk: int) -> FileResponse:
    """Send an attachment to someone who may see its task, as a download (never inline)."""
    return attachment_response(_visible_attachment(request, pk))


@login_required
@require_POST
def attachment_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Remove an attachment and its file."""
    attachment = _visible_attachment(request, pk)
    task = attachment.task
    delete_attachment(attachment=attachment, actor=request.user)
    messages.success(request, _("Attachment removed."))
    return redirect(f"{task_url(task)}#attachments")


@login_required
@require_GET
def my_tasks(request: AuthedRequest) -> HttpResponse:
    """The user's open tasks, and the unassigned ones waiting for someone with their role."""
    return render(
        request,
        "projects/my_tasks.html",
        {
            "tasks": list(list_my_tasks(viewer=request.user)[:200]),
            "queue": list(list_role_queue(viewer=request.user)[:100]),
            "role_label": request.user.get_role_display(),
        },
    )


urlpatterns: list[URLPattern | URLResolver] = [
    path("my-tasks/", my_tasks, name="my_tasks"),
    path("<int:project_pk>/tasks/new/", task_create, name="task_create"),
    path("tasks/<int:pk>/", task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", task_edit, name="task_edit"),
    path("tasks/<int:pk>/status/", task_status, name="task_status"),
    path("tasks/<int:pk>/pick-up/", task_pick_up, name="task_pick_up"),
    path("tasks/<int:pk>/dependencies/", dependency_add, name="dependency_add"),
    path(
        "tasks/<int:pk>/dependencies/<int:other_pk>/remove/",
        dependency_remove,
        name="dependency_remove",
    ),
    path("tasks/<int:pk>/checklist/", checklist_add, name="checklist_add"),
    path("tasks/<int:pk>/checklist/<int:item_pk>/", checklist_toggle, name="checklist_toggle"),
    path(
        "tasks/<int:pk>/checklist/<int:item_pk>/delete/",
        checklist_delete,
        name="checklist_delete",
    ),
    path("tasks/<int:pk>/comments/", comment_add, name="comment_add"),
    path("tasks/<int:pk>/attachments/", attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", attachment_delete, name="attachment_delete"),
]
