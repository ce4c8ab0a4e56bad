"""Demo projects: a "Website" workflow template and a few projects for demo companies."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from hamkor.accounts.models import Role, User
from hamkor.contacts.models import Company
from hamkor.projects.models import TaskStatus, WorkflowTemplate
from hamkor.projects.services.task_items import add_checklist_item, add_comment
from hamkor.projects.services.tasks import change_task_status
from hamkor.projects.services.workflows import create_template, start_project_from_template

TEMPLATE_NAME = "Website"
STEPS = [
    {
        "title": "Design",
        "role": Role.OPERATIONS,
        "offset_working_days": 5,
        "estimate_hours": Decimal("16"),
        "waits_for_previous": False,
        "handoff_note": "Agree the page list and the brand colours with the customer first.",
    },
    {
        "title": "Development",
        "role": Role.OPERATIONS,
        "offset_working_days": 10,
        "estimate_hours": Decimal("60"),
        "handoff_note": "Approved designs are attached to the Design task.",
    },
    {
        "title": "Testing",
        "role": Role.SUPPORT,
        "offset_working_days": 3,
        "estimate_hours": Decimal("8"),
        "handoff_note": "Check every page on a phone as well as on a computer.",
    },
    {
        "title": "Launch",
        "role": Role.MANAGER,
        "offset_working_days": 1,
        "estimate_hours": Decimal("2"),
        "handoff_note": "Send the customer the admin login and the invoice.",
    },
]
# (days ago the project started, how many steps are done, budget hours)
PROJECTS = [(30, 3, Decimal("90")), (12, 1, Decimal("80")), (1, 0, Decimal("100"))]


class ProjectsDemoExistsError(Exception):
    pass


@dataclass
class ProjectsDemoResult:
    templates: int = 0
    projects: int = 0
    tasks: int = 0


@transaction.atomic
def load_projects_demo() -> ProjectsDemoResult:
    """The Website template and three projects at different stages; refuses to run twice."""
    if WorkflowTemplate.objects.filter(name=TEMPLATE_NAME).exists():
        raise ProjectsDemoExistsError(f"the “{TEMPLATE_NAME}” template already exists")
    manager = (
        User.objects.filter(role=Role.MANAGER, team__name__icontains="Bishkek").first()
        or User.objects.filter(role=Role.MANAGER).order_by("pk").first()
    )
    if manager is None:
        raise ProjectsDemoExistsError("no users: run `hamkor demo` first")
    template = create_template(
        values={
            "name": TEMPLATE_NAME,
            "description": "A small business website, from design to launch.",
        },
        steps=STEPS,
        actor=manager,
    )
    companies = list(Company.objects.filter(team=manager.team).order_by("pk")[: len(PROJECTS)])
    if len(companies) < len(PROJECTS):
        companies = list(Company.objects.order_by("pk")[: len(PROJECTS)])
    today = timezone.localdate()
    result = ProjectsDemoResult(templates=1)
    for company, (days_ago, done, budget) in zip(companies, PROJECTS, strict=False):
        project = start_project_from_template(
            template=template,
            values={
                "name": f"{company.name} website",
                "company": company,
                "owner": manager,
                "start_date": today - datetime.timedelta(days=days_ago),
                "budget_hours": budget,
                "budget_amount": Decimal("2500.00"),
                "currency": "USD",
            },
            actor=manager,
        )
        tasks = list(project.tasks.order_by("position"))
        add_checklist_item(task=tasks[0], text="Page list agreed", actor=manager)
        add_checklist_item(task=tasks[0], text="Colours and logo received", actor=manager)
        add_comment(task=tasks[0], body="The customer prefers a light design.", actor=manager)
        for task in tasks[:done]:
            change_task_status(task=task, status=TaskStatus.DONE, actor=manager)
        result.projects += 1
        result.tasks += len(tasks)
    return result


__all__ = ["ProjectsDemoExistsError", "ProjectsDemoResult", "load_projects_demo"]
