"""Reads for tasks: a project's tasks, the board, my tasks and my role's queue."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from hamkor.accounts.models import User
from hamkor.projects.models import (
    ChecklistItem,
    Project,
    Task,
    TaskAttachment,
    TaskComment,
    TaskStatus,
)
from hamkor.projects.selectors.projects import project_rule

OPEN = (TaskStatus.TODO, TaskStatus.IN_PROGRESS, TaskStatus.WAITING)


def visible_tasks(viewer: User) -> QuerySet[Task]:
    """Tasks of the projects the viewer may see."""
    rule = project_rule(viewer)
    if rule is None:
        return Task.objects.all()
    return Task.objects.filter(project__in=Project.objects.filter(rule).values("pk"))


def list_project_tasks(*, project: Project, status: str = "") -> QuerySet[Task]:
    """A project's tasks in order, with who holds them and what they wait for.

    The project is already one the viewer may see.
    """
    queryset = project.tasks.all()
    if status:
        queryset = queryset.filter(status=status)
    return (
        queryset.select_related("assignee")
        .prefetch_related(Prefetch("depends_on", queryset=Task.objects.order_by("position", "id")))
        .order_by("position", "id")
    )


def get_task(*, viewer: User, pk: int) -> Task:
    """One task the viewer may see with its checklist, comments, attachments and
    dependencies; Task.DoesNotExist otherwise."""
    return (
        visible_tasks(viewer)
        .select_related("project", "project__company", "project__contact", "assignee", "step")
        .prefetch_related(
            Prefetch("checklist", queryset=ChecklistItem.objects.order_by("position", "id")),
            Prefetch(
                "comments",
                queryset=TaskComment.objects.select_related("author").order_by("created_at", "id"),
            ),
            Prefetch(
                "attachments",
                queryset=TaskAttachment.objects.select_related("uploaded_by").order_by(
                    "created_at", "id"
                ),
            ),
            Prefetch(
                "depends_on", queryset=Task.objects.select_related("assignee").order_by("position")
            ),
            Prefetch(
                "blocks", queryset=Task.objects.select_related("assignee").order_by("position")
            ),
        )
        .get(pk=pk)
    )


def get_checklist_item(*, task: Task, pk: int) -> ChecklistItem:
    """One item of a task's checklist; ChecklistItem.DoesNotExist otherwise."""
    return ChecklistItem.objects.select_related("task").get(task=task, pk=pk)


def get_attachment(*, viewer: User, pk: int) -> TaskAttachment:
    """An attachment of a task the viewer may see; TaskAttachment.DoesNotExist otherwise."""
    return TaskAttachment.objects.select_related("task").get(
        pk=pk, task__in=visible_tasks(viewer).values("pk")
    )


def list_my_tasks(*, viewer: User, include_done: bool = False) -> QuerySet[Task]:
    """Tasks assigned to the viewer, soonest due first (no due date last)."""
    queryset = Task.objects.filter(assignee=viewer)
    if not include_done:
        queryset = queryset.filter(status__in=OPEN)
    return queryset.select_related("project", "project__company", "project__contact").order_by(
        "due_date", "position", "id"
    )


def list_role_queue(*, viewer: User) -> QuerySet[Task]:
    """Unassigned open tasks for the viewer's role, ready ones first, soonest due first."""
    return (
        Task.objects.filter(Q(assignee__isnull=True, role=viewer.role), status__in=OPEN)
        .select_related("project", "project__company", "project__contact")
        .order_by("due_date", "project_id", "position", "id")
    )


@dataclass
class BoardColumn:
    status: str
    label: str
    tasks: list[Task]


def get_board(*, project: Project) -> list[BoardColumn]:
    """The project's tasks in one column per status, in task order."""
    tasks = list(list_project_tasks(project=project))
    return [
        BoardColumn(
            status=str(value), label=str(label), tasks=[t for t in tasks if t.status == value]
        )
        for value, label in TaskStatus.choices
    ]
