"""Writes for workflow templates and starting projects from them.

Starting a project from a template creates one task per step, in order. A step's deadline
is ``offset_working_days`` working days after the previous step's (the project start for
the first), skipping weekends and holidays; a step that waits for the previous one depends
on its task and starts "waiting".
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.models import Role, User
from hamkor.core.audit import record_event
from hamkor.core.locking import lock_rows
from hamkor.projects.models import (
    Project,
    ProjectStatus,
    Task,
    TaskDependency,
    TaskStatus,
    WorkflowStep,
    WorkflowTemplate,
)
from hamkor.projects.services.projects import check_fields, create_project
from hamkor.projects.services.tasks import holder_for_role, notify_holders
from hamkor.projects.workdays import add_working_days, holidays_between

TEMPLATE_FIELDS = ("name", "description", "is_active")
STEP_FIELDS = (
    "title",
    "description",
    "role",
    "offset_working_days",
    "estimate_hours",
    "waits_for_previous",
    "handoff_note",
)
MAX_STEPS = 100


def _clean_steps(steps: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    cleaned: list[dict[str, Any]] = []
    errors: list[str] = []
    if len(steps) > MAX_STEPS:
        raise ValidationError(
            {"steps": _("A template has at most %(n)d steps.") % {"n": MAX_STEPS}}
        )
    for row, step in enumerate(steps, start=1):
        unknown = set(step) - set(STEP_FIELDS)
        problem = ""
        title = str(step.get("title") or "").strip()
        role = str(step.get("role") or "")
        offset = step.get("offset_working_days", 1)
        estimate = step.get("estimate_hours")
        if unknown:
            problem = _("unknown fields %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        elif not title:
            problem = _("give the step a title.")
        elif len(title) > 200:
            problem = _("the title is longer than 200 characters.")
        elif role not in Role.values:
            problem = _("choose the role responsible.")
        elif not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= 365:
            problem = _("the deadline is 0 to 365 working days after the previous step.")
        elif estimate is not None and (
            not isinstance(estimate, int | Decimal | float) or Decimal(str(estimate)) < 0
        ):
            problem = _("the estimate is a number of hours, 0 or more.")
        if problem:
            errors.append(_("Step %(row)d: %(problem)s") % {"row": row, "problem": problem})
            continue
        cleaned.append(
            {
                "title": title,
                "description": str(step.get("description") or "").strip(),
                "role": role,
                "offset_working_days": offset,
                "estimate_hours": None if estimate is None else Decimal(str(estimate)),
                "waits_for_previous": bool(step.get("waits_for_previous", True)),
                "handoff_note": str(step.get("handoff_note") or "").strip(),
            }
        )
    if errors:
        raise ValidationError({"steps": errors})
    return cleaned


def _write_steps(template: WorkflowTemplate, steps: list[dict[str, Any]]) -> None:
    # Projects already started keep their tasks; their step links are cleared (SET_NULL).
    template.steps.all().delete()
    rows = [
        WorkflowStep(template=template, position=position, **step)
        for position, step in enumerate(steps, start=1)
    ]
    for row in rows:
        row.full_clean(exclude=["template"])
    WorkflowStep.objects.bulk_create(rows)


@transaction.atomic
def create_template(
    *, values: Mapping[str, Any], steps: Sequence[Mapping[str, Any]], actor: User
) -> WorkflowTemplate:
    """Create a workflow template with its steps in the given order."""
    values = dict(values)
    check_fields(values, TEMPLATE_FIELDS)
    cleaned = _clean_steps(steps)
    template = WorkflowTemplate(**values)
    template.name = (template.name or "").strip()
    template.full_clean()
    template.save()
    _write_steps(template, cleaned)
    record_event(
        actor=actor, verb="workflow_template.created", target=template, data={"steps": len(cleaned)}
    )
    return template


@transaction.atomic
def update_template(
    *,
    template: WorkflowTemplate,
    values: Mapping[str, Any],
    steps: Sequence[Mapping[str, Any]] | None,
    actor: User,
) -> WorkflowTemplate:
    """Change a template's details and, when ``steps`` is given, replace its steps in order."""
    values = dict(values)
    check_fields(values, TEMPLATE_FIELDS)
    cleaned = _clean_steps(steps) if steps is not None else None
    locked = lock_rows(WorkflowTemplate, template.pk).get(template.pk)
    if locked is None:
        raise WorkflowTemplate.DoesNotExist
    for name, value in values.items():
        setattr(locked, name, value)
    locked.name = (locked.name or "").strip()
    locked.full_clean()
    locked.save()
    if cleaned is not None:
        _write_steps(locked, cleaned)
    record_event(
        actor=actor,
        verb="workflow_template.updated",
        target=locked,
        data={"fields": sorted(values), "steps": None if cleaned is None else len(cleaned)},
    )
    return locked


def step_values(step: WorkflowStep) -> dict[str, Any]:
    """A step as the values ``create_template``/``update_template`` take."""
    return {name: getattr(step, name) for name in STEP_FIELDS}


@transaction.atomic
def delete_template(*, template: WorkflowTemplate, actor: User) -> None:
    """Delete a template; projects started from it keep their tasks."""
    record_event(
        actor=actor, verb="workflow_template.deleted", target=template, data={"name": template.name}
    )
    template.delete()


def step_deadlines(steps: Sequence[WorkflowStep], start: datetime.date) -> list[datetime.date]:
    """Each step's due date: its offset in working days after the previous step's."""
    total = sum(step.offset_working_days for step in steps)
    holidays = holidays_between(start, start + datetime.timedelta(days=total * 2 + 62))
    deadlines = []
    previous = start
    for step in steps:
        previous = add_working_days(previous, step.offset_working_days, holidays)
        deadlines.append(previous)
    return deadlines


@transaction.atomic
def start_project_from_template(
    *,
    template: WorkflowTemplate,
    values: Mapping[str, Any],
    actor: User | None,
) -> Project:
    """Create a project (``values`` as for ``create_project``) with one task per step.

    Tasks go to whoever holds the step's role (see ``holder_for_role``) or wait for pick-up;
    the first ready tasks' holders are told.
    """
    if not template.is_active:
        raise ValidationError(
            {"template": _("The template “%(name)s” is switched off.") % {"name": template.name}}
        )
    steps = list(template.steps.order_by("position", "id"))
    if not steps:
        raise ValidationError(
            {"template": _("The template “%(name)s” has no steps.") % {"name": template.name}}
        )
    values = dict(values)
    values.setdefault("start_date", timezone.localdate())
    values.setdefault("status", ProjectStatus.ACTIVE)
    values["template"] = template
    if values.get("start_date") is None:
        values["start_date"] = timezone.localdate()
    deadlines = step_deadlines(steps, values["start_date"])
    if not values.get("due_date"):
        values["due_date"] = deadlines[-1]
    project = create_project(values=values, actor=actor)
    tasks: list[Task] = []
    for position, (step, due) in enumerate(zip(steps, deadlines, strict=True)):
        waits = step.waits_for_previous and bool(tasks)
        task = Task(
            project=project,
            title=step.title,
            description=step.description,
            role=step.role,
            assignee=holder_for_role(role=step.role, team=project.team),
            status=TaskStatus.WAITING if waits else TaskStatus.TODO,
            due_date=due,
            estimate_hours=step.estimate_hours,
            position=position,
            step=step,
        )
        task.full_clean(exclude=["project", "step", "assignee"])
        tasks.append(task)
    Task.objects.bulk_create(tasks)
    TaskDependency.objects.bulk_create(
        [
            TaskDependency(task=task, depends_on=tasks[index - 1])
            for index, (task, step) in enumerate(zip(tasks, steps, strict=True))
            if index > 0 and step.waits_for_previous
        ]
    )
    record_event(
        actor=actor,
        verb="project.started_from_template",
        target=project,
        data={"template": template.pk, "tasks": len(tasks)},
    )
    for task in tasks:
        if task.status == TaskStatus.TODO:
            notify_holders(task=task, previous=None, key=f"task-ready:start:{task.pk}")
    return project


@transaction.atomic
def start_project_for_deal(
    *, template: WorkflowTemplate, deal: Any, actor: User | None
) -> tuple[Project, bool]:
    """The deal's project from this template, started once: (project, created).

    The deal row is locked, so two runs of the same rule at once still make one project.
    """
    from hamkor.sales.models import Deal

    locked = lock_rows(Deal, deal.pk).get(deal.pk)
    if locked is None:
        raise Deal.DoesNotExist
    existing = Project.objects.filter(deal=locked, template=template).order_by("id").first()
    if existing is not None:
        return existing, False
    project = start_project_from_template(
        template=template,
        values={
            "name": locked.title,
            "deal": locked,
            "owner": locked.owner,
            "team": locked.team,
            "currency": locked.currency,
        },
        actor=actor,
    )
    return project, True
