"""REST API for projects and tasks: parse input, call a selector or service, shape output."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from hamkor.accounts.models import User
from hamkor.accounts.selectors import list_users
from hamkor.contacts.api import read_query, viewer_of
from hamkor.contacts.schemas import READ_ERRORS, WRITE_ERRORS
from hamkor.contacts.selectors import get_assignable_owner, get_company, get_contact
from hamkor.core.paging import list_page
from hamkor.core.references import resolve_reference
from hamkor.projects.models import ChecklistItem, Project, Task, WorkflowTemplate
from hamkor.projects.schemas import (
    ChecklistItemIn,
    ChecklistItemOut,
    ChecklistItemUpdateIn,
    ChecklistOut,
    CommentIn,
    CommentListOut,
    CommentOut,
    DependencyIn,
    DependencyListOut,
    FromTemplateIn,
    ProjectCreateIn,
    ProjectFilterIn,
    ProjectListOut,
    ProjectOut,
    ProjectUpdateIn,
    TaskCreateIn,
    TaskFilterIn,
    TaskListOut,
    TaskOut,
    TaskUpdateIn,
)
from hamkor.projects.selectors.projects import ProjectFilters, get_project, list_projects
from hamkor.projects.selectors.tasks import get_checklist_item, get_task, list_project_tasks
from hamkor.projects.selectors.workflows import get_template
from hamkor.projects.services.projects import (
    change_project_status,
    create_project,
    delete_project,
    require_manager,
    update_project,
)
from hamkor.projects.services.task_items import (
    add_checklist_item,
    add_comment,
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
from hamkor.projects.services.workflows import start_project_from_template

projects_router = Router(tags=["projects"])
tasks_router = Router(tags=["tasks"])

PROJECT_VALUES = (
    "name",
    "description",
    "start_date",
    "due_date",
    "budget_hours",
    "budget_amount",
    "currency",
)
TASK_VALUES = ("title", "description", "role", "due_date", "estimate_hours", "position")


def _forbidden(error: PermissionDenied) -> HttpError:
    return HttpError(403, str(error) or _("You may not do this."))


def _project_values(viewer: User, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Service values from a payload: plain fields plus the records its *_id fields name."""
    from hamkor.sales.selectors.deals import get_deal

    values = {name: fields[name] for name in PROJECT_VALUES if name in fields}
    errors: dict[str, str] = {}
    references: list[tuple[str, Callable[[int], Any], str]] = [
        (
            "contact",
            lambda pk: get_contact(viewer=viewer, pk=pk),
            _("There is no contact with id %(id)s that you can see."),
        ),
        (
            "company",
            lambda pk: get_company(viewer=viewer, pk=pk),
            _("There is no company with id %(id)s that you can see."),
        ),
        (
            "deal",
            lambda pk: get_deal(viewer=viewer, pk=pk),
            _("There is no deal with id %(id)s that you can see."),
        ),
        (
            "owner",
            lambda pk: get_assignable_owner(viewer=viewer, pk=pk),
            _("There is no active user with id %(id)s that you can make the manager."),
        ),
    ]
    for name, fetch, message in references:
        key = f"{name}_id"
        if key in fields:
            values[name] = resolve_reference(errors, key, fields[key], fetch, message)
    if errors:
        raise ValidationError(errors)
    return values


def _project(request: HttpRequest, pk: int) -> Project:
    return get_project(viewer=viewer_of(request), pk=pk)


@projects_router.get(
    "",
    response={200: ProjectListOut, **READ_ERRORS},
    summary="List projects",
    description="Projects you may see (yours, your team's, those with a task of yours; "
    "managers see all), newest first.",
)
def list_projects_view(request: HttpRequest, filters: Query[ProjectFilterIn]) -> dict[str, Any]:
    read_query(request, filters)
    projects = list_projects(
        viewer=viewer_of(request),
        filters=ProjectFilters(
            status=filters.status,
            search=filters.q,
            contact_id=filters.contact_id,
            company_id=filters.company_id,
            deal_id=filters.deal_id,
        ),
    )
    return list_page(projects, offset=filters.offset, limit=filters.limit)


@projects_router.post(
    "",
    response={201: ProjectOut, **WRITE_ERRORS},
    summary="Create a project",
    description="An empty project for a contact or company; you manage it by default.",
)
def create_project_view(request: HttpRequest, payload: ProjectCreateIn) -> Status[Project]:
    viewer = viewer_of(request)
    fields = payload.dict(exclude_unset=True)
    values = _project_values(viewer, fields)
    values["name"] = payload.name
    values["status"] = payload.status
    project = create_project(values=values, actor=viewer)
    return Status(201, get_project(viewer=viewer, pk=project.pk))


# Declared before /{project_id} so the name is never read as an id.
@projects_router.post(
    "/from-template",
    response={201: ProjectOut, **WRITE_ERRORS},
    summary="Start a project from a workflow template",
    description="One task per step, due in working days from the start (weekends and "
    "holidays skipped); a step that waits for the previous one depends on its task.",
)
def from_template_view(request: HttpRequest, payload: FromTemplateIn) -> Status[Project]:
    viewer = viewer_of(request)
    fields = payload.dict(exclude_unset=True)
    try:
        template = get_template(pk=payload.template_id)
    except WorkflowTemplate.DoesNotExist:
        raise ValidationError(
            {
                "template_id": _("There is no workflow template with id %(id)s.")
                % {"id": payload.template_id}
            }
        ) from None
    values = _project_values(viewer, fields)
    values["name"] = payload.name
    for name in ("start_date", "due_date"):
        if values.get(name) is None:
            values.pop(name, None)
    project = start_project_from_template(template=template, values=values, actor=viewer)
    return Status(201, get_project(viewer=viewer, pk=project.pk))


@projects_router.get(
    "/{project_id}", response={200: ProjectOut, **READ_ERRORS}, summary="Get a project"
)
def get_project_view(request: HttpRequest, project_id: int) -> Project:
    return _project(request, project_id)


@projects_router.patch(
    "/{project_id}",
    response={200: ProjectOut, **WRITE_ERRORS, 403: WRITE_ERRORS[404]},
    summary="Update a project",
    description="Only the fields sent change. The manager, their team and managers may "
    "change a project; others who see it (through a task) get 403.",
)
def update_project_view(request: HttpRequest, project_id: int, payload: ProjectUpdateIn) -> Project:
    viewer = viewer_of(request)
    project = _project(request, project_id)
    try:
        require_manager(viewer=viewer, project=project)
    except PermissionDenied as error:
        raise _forbidden(error) from None
    fields = payload.dict(exclude_unset=True)
    status = fields.pop("status", None)
    values = _project_values(viewer, fields)
    if values:
        update_project(project=project, values=values, actor=viewer)
    if status is not None:
        change_project_status(project=project, status=status, actor=viewer)
    return get_project(viewer=viewer, pk=project.pk)


@projects_router.delete(
    "/{project_id}",
    response={204: None, **WRITE_ERRORS, 403: WRITE_ERRORS[404]},
    summary="Delete a project",
    description="Deletes the project and its tasks; refused (409) once time was logged on it.",
)
def delete_project_view(request: HttpRequest, project_id: int) -> Status[None]:
    viewer = viewer_of(request)
    project = _project(request, project_id)
    try:
        require_manager(viewer=viewer, project=project)
    except PermissionDenied as error:
        raise _forbidden(error) from None
    delete_project(project=project, actor=viewer)
    return Status(204, None)


@projects_router.get(
    "/{project_id}/tasks",
    response={200: TaskListOut, **READ_ERRORS},
    summary="List a project's tasks",
    description="In project order.",
)
def list_tasks_view(
    request: HttpRequest, project_id: int, filters: Query[TaskFilterIn]
) -> dict[str, Any]:
    read_query(request, filters)
    project = _project(request, project_id)
    tasks = list_project_tasks(project=project, status=filters.status)
    return list_page(tasks, offset=filters.offset, limit=filters.limit)


def _task_values(fields: Mapping[str, Any]) -> dict[str, Any]:
    values = {name: fields[name] for name in TASK_VALUES if name in fields}
    if "assignee_id" in fields:
        errors: dict[str, str] = {}
        values["assignee"] = resolve_reference(
            errors,
            "assignee_id",
            fields["assignee_id"],
            lambda pk: list_users().get(pk=pk),
            _("There is no active user with id %(id)s."),
        )
        if errors:
            raise ValidationError(errors)
    return values


@projects_router.post(
    "/{project_id}/tasks",
    response={201: TaskOut, **WRITE_ERRORS, 403: WRITE_ERRORS[404]},
    summary="Add a task to a project",
)
def create_task_view(request: HttpRequest, project_id: int, payload: TaskCreateIn) -> Status[Task]:
    viewer = viewer_of(request)
    project = _project(request, project_id)
    try:
        require_manager(viewer=viewer, project=project)
    except PermissionDenied as error:
        raise _forbidden(error) from None
    values = _task_values(payload.dict(exclude_unset=True))
    values["title"] = payload.title
    task = create_task(project=project, values=values, actor=viewer)
    return Status(201, get_task(viewer=viewer, pk=task.pk))


def _task(request: HttpRequest, pk: int) -> Task:
    return get_task(viewer=viewer_of(request), pk=pk)


@tasks_router.get("/{task_id}", response={200: TaskOut, **READ_ERRORS}, summary="Get a task")
def get_task_view(request: HttpRequest, task_id: int) -> Task:
    return _task(request, task_id)


@tasks_router.patch(
    "/{task_id}",
    response={200: TaskOut, **WRITE_ERRORS},
    summary="Update a task",
    description="Only the fields sent change. `status` follows the rules: a task waiting "
    "for an unfinished one cannot start or be done (422); finishing one readies those "
    "waiting for it.",
)
def update_task_view(request: HttpRequest, task_id: int, payload: TaskUpdateIn) -> Task:
    viewer = viewer_of(request)
    task = _task(request, task_id)
    fields = payload.dict(exclude_unset=True)
    status = fields.pop("status", None)
    values = _task_values(fields)
    if values:
        update_task(task=task, values=values, actor=viewer)
    if status is not None:
        change_task_status(task=task, status=status, actor=viewer)
    return get_task(viewer=viewer, pk=task.pk)


@tasks_router.post(
    "/{task_id}/pick-up",
    response={200: TaskOut, **WRITE_ERRORS, 403: WRITE_ERRORS[404]},
    summary="Pick up an unassigned task meant for your role",
)
def pick_up_view(request: HttpRequest, task_id: int) -> Task:
    viewer = viewer_of(request)
    task = _task(request, task_id)
    try:
        pick_up_task(task=task, actor=viewer)
    except PermissionDenied as error:
        raise _forbidden(error) from None
    return get_task(viewer=viewer, pk=task.pk)


@tasks_router.get(
    "/{task_id}/dependencies",
    response={200: DependencyListOut, **READ_ERRORS},
    summary="Tasks this one waits for",
)
def list_dependencies_view(request: HttpRequest, task_id: int) -> dict[str, Any]:
    items = list(_task(request, task_id).depends_on.all())
    return {"items": items, "count": len(items)}


@tasks_router.post(
    "/{task_id}/dependencies",
    response={201: DependencyListOut, **WRITE_ERRORS},
    summary="Make the task wait for another",
    description="Same project only; a link that would make tasks wait for each other is "
    "refused (422). The task becomes waiting while the other is not done.",
)
def add_dependency_view(
    request: HttpRequest, task_id: int, payload: DependencyIn
) -> Status[dict[str, Any]]:
    viewer = viewer_of(request)
    task = _task(request, task_id)
    try:
        other = get_task(viewer=viewer, pk=payload.depends_on_id)
    except Task.DoesNotExist:
        raise ValidationError(
            {
                "depends_on_id": _("There is no task with id %(id)s that you can see.")
                % {"id": payload.depends_on_id}
            }
        ) from None
    add_dependency(task=task, depends_on=other, actor=viewer)
    items = list(get_task(viewer=viewer, pk=task.pk).depends_on.all())
    return Status(201, {"items": items, "count": len(items)})


@tasks_router.delete(
    "/{task_id}/dependencies/{depends_on_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Stop the task waiting for another",
)
def remove_dependency_view(request: HttpRequest, task_id: int, depends_on_id: int) -> Status[None]:
    viewer = viewer_of(request)
    task = _task(request, task_id)
    other = next((t for t in task.depends_on.all() if t.pk == depends_on_id), None)
    if other is None:
        raise Task.DoesNotExist
    remove_dependency(task=task, depends_on=other, actor=viewer)
    return Status(204, None)


@tasks_router.get(
    "/{task_id}/checklist", response={200: ChecklistOut, **READ_ERRORS}, summary="A checklist"
)
def checklist_view(request: HttpRequest, task_id: int) -> dict[str, Any]:
    items = list(_task(request, task_id).checklist.all())
    return {"items": items, "count": len(items)}


@tasks_router.post(
    "/{task_id}/checklist",
    response={201: ChecklistItemOut, **WRITE_ERRORS},
    summary="Add a checklist item",
)
def add_checklist_view(
    request: HttpRequest, task_id: int, payload: ChecklistItemIn
) -> Status[ChecklistItem]:
    item = add_checklist_item(
        task=_task(request, task_id), text=payload.text, actor=viewer_of(request)
    )
    return Status(201, item)


@tasks_router.patch(
    "/{task_id}/checklist/{item_id}",
    response={200: ChecklistItemOut, **WRITE_ERRORS},
    summary="Tick or untick a checklist item",
)
def tick_checklist_view(
    request: HttpRequest, task_id: int, item_id: int, payload: ChecklistItemUpdateIn
) -> ChecklistItem:
    item = get_checklist_item(task=_task(request, task_id), pk=item_id)
    return set_checklist_item_done(item=item, done=payload.done, actor=viewer_of(request))


@tasks_router.delete(
    "/{task_id}/checklist/{item_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Remove a checklist item",
)
def delete_checklist_view(request: HttpRequest, task_id: int, item_id: int) -> Status[None]:
    item = get_checklist_item(task=_task(request, task_id), pk=item_id)
    delete_checklist_item(item=item, actor=viewer_of(request))
    return Status(204, None)


@tasks_router.get(
    "/{task_id}/comments", response={200: CommentListOut, **READ_ERRORS}, summary="Comments"
)
def comments_view(request: HttpRequest, task_id: int) -> dict[str, Any]:
    items = list(_task(request, task_id).comments.all())
    return {"items": items, "count": len(items)}


@tasks_router.post(
    "/{task_id}/comments", response={201: CommentOut, **WRITE_ERRORS}, summary="Comment"
)
def add_comment_view(request: HttpRequest, task_id: int, payload: CommentIn) -> Status[Any]:
    comment = add_comment(task=_task(request, task_id), body=payload.body, actor=viewer_of(request))
    return Status(201, comment)
