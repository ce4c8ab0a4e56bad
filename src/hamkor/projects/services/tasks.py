"""Writes for tasks: create, edit, status rules, pick-up, dependencies and hand-offs.

The status rules: a task with an unfinished dependency is "waiting" and cannot be started,
put back to do or finished. Finishing a task readies the dependents whose dependencies are
now all done (waiting -> to do) and tells whoever holds them; reopening one puts its
unfinished dependents back to waiting.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from hamkor.accounts.models import Role, Team, User
from hamkor.core.audit import changes, record_event, snapshot
from hamkor.core.locking import lock_rows
from hamkor.projects.models import Project, Task, TaskDependency, TaskStatus
from hamkor.projects.services.projects import check_fields

logger = logging.getLogger(__name__)

TASK_FIELDS = (
    "title",
    "description",
    "assignee",
    "role",
    "due_date",
    "estimate_hours",
    "position",
)
OPEN_STATUSES = (TaskStatus.TODO, TaskStatus.IN_PROGRESS, TaskStatus.WAITING)


def _check_people(task: Task) -> None:
    errors: dict[str, str] = {}
    if task.assignee is not None and not task.assignee.is_active:
        errors["assignee"] = _("The chosen user is inactive.")
    if task.role and task.role not in Role.values:
        errors["role"] = _("Choose a role.")
    if errors:
        raise ValidationError(errors)


def open_dependencies(task: Task) -> list[Task]:
    """The tasks ``task`` waits for that are not done yet, in project order."""
    return list(
        Task.objects.filter(dependent_links__task=task)
        .exclude(status=TaskStatus.DONE)
        .order_by("position", "id")
    )


def _blocked_error(task: Task, blockers: Sequence[Task]) -> ValidationError:
    return ValidationError(
        {
            "status": _("“%(task)s” waits for “%(other)s”; finish that first.")
            % {"task": task.title, "other": blockers[0].title}
        }
    )


@transaction.atomic
def create_task(*, project: Project, values: Mapping[str, Any], actor: User | None) -> Task:
    """Add a task to a project, at the end unless a position is given."""
    values = dict(values)
    check_fields(values, (*TASK_FIELDS, "step"))
    if "position" not in values or values["position"] is None:
        last = project.tasks.aggregate(last=Max("position"))["last"]
        values["position"] = 0 if last is None else last + 1
    task = Task(project=project, status=TaskStatus.TODO, **values)
    _check_people(task)
    task.full_clean()
    task.save()
    record_event(
        actor=actor,
        verb="task.created",
        target=task,
        data={"project": project.pk, "assignee": task.assignee_id, "role": task.role},
    )
    return task


@transaction.atomic
def update_task(*, task: Task, values: Mapping[str, Any], actor: User) -> Task:
    """Change a task's details; its status changes only through ``change_task_status``."""
    values = dict(values)
    check_fields(values, TASK_FIELDS)
    before = snapshot(task, values)
    for name, value in values.items():
        setattr(task, name, value)
    _check_people(task)
    task.full_clean()
    task.save()
    record_event(
        actor=actor,
        verb="task.updated",
        target=task,
        data={"fields": sorted(values), "changed": changes(before, snapshot(task, values))},
    )
    return task


def _lock(task: Task) -> Task:
    locked = lock_rows(Task, task.pk).get(task.pk)
    if locked is None:
        raise Task.DoesNotExist
    return locked


@transaction.atomic
def change_task_status(*, task: Task, status: str, actor: User | None) -> Task:
    """Move a task to another status under the dependency rules (see the module docstring)."""
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Choose a task status.")})
    locked = _lock(task)
    previous = locked.status
    if previous == status:
        return locked
    if status in (TaskStatus.TODO, TaskStatus.IN_PROGRESS, TaskStatus.DONE):
        blockers = open_dependencies(locked)
        if blockers:
            raise _blocked_error(locked, blockers)
    locked.status = status
    locked.completed_at = timezone.now() if status == TaskStatus.DONE else None
    locked.save(update_fields=["status", "completed_at", "updated_at"])
    record_event(
        actor=actor,
        verb="task.status_changed",
        target=locked,
        data={"from": previous, "to": status, "project": locked.project_id},
    )
    if status == TaskStatus.DONE:
        ready_dependents(task=locked, actor=actor)
    elif previous == TaskStatus.DONE:
        # Work that relied on this task being finished has to wait for it again.
        Task.objects.filter(
            dependency_links__depends_on=locked,
            status__in=(TaskStatus.TODO, TaskStatus.IN_PROGRESS),
        ).update(status=TaskStatus.WAITING, updated_at=timezone.now())
    return locked


def ready_dependents(*, task: Task, actor: User | None) -> list[Task]:
    """Waiting tasks that depended on ``task`` and now have every dependency done go to do."""
    candidates = list(
        Task.objects.filter(dependency_links__depends_on=task, status=TaskStatus.WAITING)
        .select_related("project", "assignee")
        .order_by("position", "id")
    )
    readied = []
    for dependent in candidates:
        if open_dependencies(dependent):
            continue
        dependent.status = TaskStatus.TODO
        dependent.save(update_fields=["status", "updated_at"])
        event = record_event(
            actor=actor,
            verb="task.ready",
            target=dependent,
            data={"after": task.pk, "project": dependent.project_id},
        )
        notify_holders(task=dependent, previous=task, key=f"task-ready:{event.pk}")
        readied.append(dependent)
    return readied


def task_holders(task: Task) -> list[User]:
    """Who a task is for: its assignee, else every active user with its role."""
    if task.assignee_id is not None:
        assignee = task.assignee
        return [assignee] if assignee is not None and assignee.is_active else []
    if not task.role:
        return []
    return list(User.objects.filter(role=task.role, is_active=True).order_by("id"))


def _ready_text(task: Task, previous: Task | None) -> tuple[str, str]:
    title = _("Ready for you: %(task)s (%(project)s)") % {
        "task": task.title,
        "project": task.project.name,
    }
    lines = [_("Project: %(project)s") % {"project": task.project.name}]
    if task.due_date:
        lines.append(_("Due: %(date)s") % {"date": formats.date_format(task.due_date)})
    if previous is not None:
        lines.append(_("“%(task)s” is done, so this task can start.") % {"task": previous.title})
    note = task.step.handoff_note if task.step_id and task.step else ""
    if note:
        lines.append(_("Hand-off note: %(note)s") % {"note": note})
    if task.assignee_id is None and task.role:
        lines.append(_("Nobody has taken it yet: pick it up from My tasks."))
    return title, "\n".join(lines)


def notify_holders(*, task: Task, previous: Task | None, key: str) -> None:
    """Tell the task's holders it is theirs to do: in-app, and by email when they have one."""
    from hamkor.activities.services.notifications import notify_users
    from hamkor.messaging.services import queue_message

    url = reverse("projects:task_detail", args=[task.pk])
    public = str(getattr(settings, "HAMKOR_PUBLIC_URL", "")).rstrip("/")
    for user in task_holders(task):
        # Each person reads it in their own language.
        with translation.override(user.language or settings.LANGUAGE_CODE):
            title, body = _ready_text(task, previous)
        notify_users(
            users=[user], kind="task_ready", title=title, body=body, url=url, dedupe_key=key
        )
        if not user.email:
            continue
        try:
            queue_message(
                channel="email",
                kind="staff",
                to_address=user.email,
                subject=title,
                body=f"{body}\n\n{public}{url}" if public else body,
                idempotency_key=f"{key}:{user.pk}"[:200],
            )
        except ValidationError:
            # A bad address on a profile must not stop the work moving on; the bell rang.
            logger.warning("task email not queued", extra={"task": task.pk, "user": user.pk})


def holder_for_role(*, role: str, team: Team | None) -> User | None:
    """Who takes a role's task: the one team member with it, else the one active user with
    it; None (left for pick-up) when it is not clear who."""
    if not role:
        return None
    active = User.objects.filter(role=role, is_active=True).order_by("id")
    if team is not None:
        members = list(active.filter(team=team)[:2])
        if len(members) == 1:
            return members[0]
    everyone = list(active[:2])
    return everyone[0] if len(everyone) == 1 else None


@transaction.atomic
def pick_up_task(*, task: Task, actor: User) -> Task:
    """Take an unassigned task meant for the actor's role."""
    locked = _lock(task)
    if locked.assignee_id is not None:
        if locked.assignee_id == actor.pk:
            return locked
        raise ValidationError(_("Somebody has already picked up this task."))
    if not locked.role or locked.role != actor.role:
        raise PermissionDenied(_("Only someone with the task's role can pick it up."))
    if locked.status == TaskStatus.DONE:
        raise ValidationError(_("The task is done already."))
    locked.assignee = actor
    locked.save(update_fields=["assignee", "updated_at"])
    record_event(actor=actor, verb="task.picked_up", target=locked, data={"role": locked.role})
    return locked


def _reaches(start: Task, goal: Task) -> bool:
    """Whether ``start`` already waits for ``goal``, directly or through other tasks."""
    seen: set[int] = set()
    frontier = [start.pk]
    while frontier:
        if goal.pk in frontier:
            return True
        seen.update(frontier)
        frontier = [
            pk
            for pk in TaskDependency.objects.filter(task_id__in=frontier).values_list(
                "depends_on_id", flat=True
            )
            if pk not in seen
        ]
    return False


@transaction.atomic
def add_dependency(*, task: Task, depends_on: Task, actor: User | None) -> TaskDependency:
    """Make ``task`` wait for ``depends_on`` (same project, no cycles); it waits if that is
    not done yet."""
    if task.pk == depends_on.pk:
        raise ValidationError({"depends_on": _("A task cannot wait for itself.")})
    if task.project_id != depends_on.project_id:
        raise ValidationError(
            {"depends_on": _("A task can only wait for a task of the same project.")}
        )
    locked = _lock(task)
    existing = TaskDependency.objects.filter(task=locked, depends_on=depends_on).first()
    if existing is not None:
        return existing
    if _reaches(depends_on, locked):
        raise ValidationError(
            {
                "depends_on": _(
                    "“%(other)s” already waits for “%(task)s”; the tasks would wait for "
                    "each other forever."
                )
                % {"other": depends_on.title, "task": locked.title}
            }
        )
    if locked.status == TaskStatus.DONE and depends_on.status != TaskStatus.DONE:
        raise ValidationError(
            {"depends_on": _("A finished task cannot wait for one that is not done.")}
        )
    link = TaskDependency.objects.create(task=locked, depends_on=depends_on)
    if depends_on.status != TaskStatus.DONE and locked.status in OPEN_STATUSES:
        locked.status = TaskStatus.WAITING
        locked.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor, verb="task.dependency_added", target=locked, data={"on": depends_on.pk}
    )
    return link


@transaction.atomic
def remove_dependency(*, task: Task, depends_on: Task, actor: User) -> Task:
    """Stop ``task`` waiting for ``depends_on``; with nothing else open it is ready to do."""
    locked = _lock(task)
    deleted, _rows = TaskDependency.objects.filter(task=locked, depends_on=depends_on).delete()
    if not deleted:
        raise TaskDependency.DoesNotExist
    if locked.status == TaskStatus.WAITING and not open_dependencies(locked):
        locked.status = TaskStatus.TODO
        locked.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor, verb="task.dependency_removed", target=locked, data={"on": depends_on.pk}
    )
    return locked
