"""Project list, detail, form, status change, the board and starting from a template."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamkor.contacts.forms import apply_service_errors
from hamkor.contacts.views.common import PAGE_SIZE, AuthedRequest, query_without_page, wants_partial
from hamkor.projects.forms import FromTemplateForm, ProjectForm, StatusForm, TaskStatusForm
from hamkor.projects.models import Project, ProjectStatus, TaskStatus
from hamkor.projects.selectors.projects import (
    ProjectFilters,
    hours_estimated,
    list_projects,
    progress_percent,
)
from hamkor.projects.selectors.tasks import get_board, list_project_tasks
from hamkor.projects.services.projects import (
    can_manage_project,
    change_project_status,
    create_project,
    require_manager,
    update_project,
)
from hamkor.projects.services.tasks import change_task_status
from hamkor.projects.services.workflows import start_project_from_template
from hamkor.projects.views.common import next_url, visible_project, visible_task


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@require_GET
def project_list(request: AuthedRequest) -> HttpResponse:
    """Projects the user may see: search by name or customer, filter by status."""
    status = request.GET.get("status", "")
    filters = ProjectFilters(
        status=status if status in ProjectStatus.values else "",
        search=request.GET.get("q", "")[:100],
        contact_id=_int(request.GET.get("contact")),
        company_id=_int(request.GET.get("company")),
    )
    page = Paginator(list_projects(viewer=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for project in page.object_list:
        setattr(project, "progress", progress_percent(project))  # noqa: B010 - for the template
    context = {
        "page_obj": page,
        "filters": filters,
        "statuses": ProjectStatus.choices,
        "base_query": query_without_page(request),
        "filtered": any(vars(filters).values()),
    }
    template = "projects/_project_results.html" if wants_partial(request) else "projects/list.html"
    return render(request, template, context)


def _detail_context(request: AuthedRequest, project: Project) -> dict[str, Any]:
    tasks = list(list_project_tasks(project=project))
    return {
        "project": project,
        "tasks": tasks,
        "progress": progress_percent(project),
        "estimated": hours_estimated(project),
        "can_manage": can_manage_project(viewer=request.user, project=project),
        "status_form": StatusForm(initial={"status": project.status}),
        "open_count": sum(1 for t in tasks if t.status != TaskStatus.DONE),
    }


@login_required
@require_GET
def project_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A project's facts, progress, budget and tasks."""
    project = visible_project(request, pk)
    return render(request, "projects/detail.html", _detail_context(request, project))


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: AuthedRequest) -> HttpResponse:
    """Create an empty project (tasks are added afterwards)."""
    initial = {
        "contact": _int(request.GET.get("contact")),
        "company": _int(request.GET.get("company")),
    }
    form = ProjectForm(
        request.POST or None, viewer=request.user, initial={k: v for k, v in initial.items() if v}
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = create_project(values=form.values(), actor=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Project “%(name)s” created.") % {"name": project})
            return redirect("projects:detail", project.pk)
    return render(request, "projects/form.html", {"form": form, "project": None})


@login_required
@require_http_methods(["GET", "POST"])
def project_from_template(request: AuthedRequest) -> HttpResponse:
    """Start a project from a workflow template: its steps become the tasks."""
    initial: dict[str, Any] = {
        k: v
        for k, v in {
            "contact": _int(request.GET.get("contact")),
            "company": _int(request.GET.get("company")),
            "template": _int(request.GET.get("template")),
        }.items()
        if v
    }
    form = FromTemplateForm(request.POST or None, viewer=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        if not values.get("start_date"):
            values.pop("start_date")
        try:
            project = start_project_from_template(
                template=form.cleaned_data["template"], values=values, actor=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Project “%(name)s” started.") % {"name": project})
            return redirect("projects:detail", project.pk)
    return render(request, "projects/form.html", {"form": form, "from_template": True})


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Edit a project's details (its manager, team and managers only)."""
    project = visible_project(request, pk)
    require_manager(viewer=request.user, project=project)
    form = ProjectForm(request.POST or None, viewer=request.user, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            update_project(project=project, values=form.values(), actor=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("projects:detail", project.pk)
    return render(request, "projects/form.html", {"form": form, "project": project})


@login_required
@require_POST
def project_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """Change a project's status."""
    project = visible_project(request, pk)
    require_manager(viewer=request.user, project=project)
    form = StatusForm(request.POST)
    if form.is_valid():
        change_project_status(
            project=project, status=form.cleaned_data["status"], actor=request.user
        )
        messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("Choose a project status."))
    return redirect("projects:detail", project.pk)


def _board_context(request: AuthedRequest, project: Project) -> dict[str, Any]:
    return {
        "project": project,
        "columns": get_board(project=project),
        "statuses": TaskStatus.choices,
        "board_url": reverse("projects:board", args=[project.pk]),
    }


@login_required
@require_GET
def project_board(request: AuthedRequest, pk: int) -> HttpResponse:
    """The project's tasks in a column per status; drag a card or pick a status."""
    project = visible_project(request, pk)
    context = _board_context(request, project)
    if wants_partial(request):
        return render(request, "projects/_board.html", context)
    return render(request, "projects/board.html", context)


@login_required
@require_POST
def task_move(request: AuthedRequest, pk: int) -> HttpResponse:
    """Move a task to another status from the board; a refusal is shown above the board."""
    task = visible_task(request, pk)
    project = visible_project(request, task.project_id)
    form = TaskStatusForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            change_task_status(task=task, status=form.cleaned_data["stage"], actor=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
    else:
        error = _("Choose a task status.")
    if request.htmx:
        context = _board_context(request, project) | {"board_error": error}
        return render(request, "projects/_board.html", context)
    if error:
        messages.error(request, error)
    return redirect(next_url(request, reverse("projects:board", args=[project.pk])))


urlpatterns: list[URLPattern | URLResolver] = [
    path("", project_list, name="list"),
    path("new/", project_create, name="create"),
    path("from-template/", project_from_template, name="from_template"),
    path("<int:pk>/", project_detail, name="detail"),
    path("<int:pk>/edit/", project_edit, name="edit"),
    path("<int:pk>/status/", project_status, name="status"),
    path("<int:pk>/board/", project_board, name="board"),
    path("tasks/<int:pk>/move/", task_move, name="task_move"),
]
