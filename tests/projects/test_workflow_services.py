import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hamkor.accounts.models import Role
from hamkor.activities.models import Notification
from hamkor.messaging.models import OutboundMessage
from hamkor.projects.models import Holiday, Project, Task, TaskStatus
from hamkor.projects.services.tasks import change_task_status
from hamkor.projects.services.workflows import (
    create_template,
    start_project_for_deal,
    start_project_from_template,
    update_template,
)
from hamkor.projects.workdays import add_working_days
from tests.accounts.factories import TeamFactory, UserFactory
from tests.contacts.factories import CompanyFactory
from tests.projects.factories import WorkflowStepFactory, WorkflowTemplateFactory
from tests.sales.factories import DealFactory

pytestmark = pytest.mark.django_db

THURSDAY = datetime.date(2026, 12, 3)
HOLIDAY_MONDAY = datetime.date(2026, 12, 7)


def website_template():
    template = WorkflowTemplateFactory(name="Website")
    WorkflowStepFactory(
        template=template, position=1, title="Design", role=Role.SALES, offset_working_days=1
    )
    WorkflowStepFactory(
        template=template,
        position=2,
        title="Development",
        role=Role.OPERATIONS,
        offset_working_days=2,
        handoff_note="Designs are in the shared folder.",
    )
    WorkflowStepFactory(
        template=template, position=3, title="Testing", role=Role.SUPPORT, offset_working_days=1
    )
    WorkflowStepFactory(
        template=template,
        position=4,
        title="Launch",
        role=Role.OPERATIONS,
        offset_working_days=0,
        waits_for_previous=False,
    )
    return template


def start(template, *, owner=None, **values):
    owner = owner or UserFactory(role=Role.MANAGER)
    return start_project_from_template(
        template=template,
        values={"name": "Shop site", "company": CompanyFactory(owner=owner), **values},
        actor=owner,
    )


def test_add_working_days_skips_weekend_and_holidays():
    holidays = {HOLIDAY_MONDAY}

    assert add_working_days(THURSDAY, 1, holidays) == datetime.date(2026, 12, 4)
    assert add_working_days(THURSDAY, 2, holidays) == datetime.date(2026, 12, 8)
    assert add_working_days(datetime.date(2026, 12, 5), 0, holidays) == datetime.date(2026, 12, 8)


def test_start_from_template_counts_deadlines_in_working_days():
    Holiday.objects.create(date=HOLIDAY_MONDAY, name="Constitution Day")

    project = start(website_template(), start_date=THURSDAY)

    tasks = list(project.tasks.order_by("position"))
    assert [t.title for t in tasks] == ["Design", "Development", "Testing", "Launch"]
    # Design +1 -> Fri 4th; Development +2 skips the weekend and Monday's holiday -> Wed 9th.
    assert [t.due_date.day for t in tasks] == [4, 9, 10, 10]
    assert project.due_date == datetime.date(2026, 12, 10)
    assert project.template.name == "Website"


def test_start_from_template_chains_steps_that_wait_for_the_previous():
    project = start(website_template(), start_date=THURSDAY)

    design, development, testing, launch = project.tasks.order_by("position")
    assert [design.status, development.status, testing.status, launch.status] == [
        TaskStatus.TODO,
        TaskStatus.WAITING,
        TaskStatus.WAITING,
        TaskStatus.TODO,
    ]
    assert list(development.depends_on.all()) == [design]
    assert list(testing.depends_on.all()) == [development]
    assert list(launch.depends_on.all()) == []


def test_start_from_template_assigns_the_only_holder_of_a_role():
    developer = UserFactory(role=Role.OPERATIONS)
    UserFactory(role=Role.SUPPORT)
    UserFactory(role=Role.SUPPORT)

    project = start(website_template())

    development = project.tasks.get(title="Development")
    testing = project.tasks.get(title="Testing")
    assert development.assignee == developer
    # Two support users and neither in the project's team: left for pick-up.
    assert testing.assignee is None
    assert testing.role == Role.SUPPORT


def test_start_from_template_prefers_the_team_member_with_the_role():
    team = TeamFactory()
    owner = UserFactory(role=Role.MANAGER, team=team)
    UserFactory(role=Role.OPERATIONS)
    teammate = UserFactory(role=Role.OPERATIONS, team=team)

    project = start(website_template(), owner=owner)

    assert project.tasks.get(title="Development").assignee == teammate


def test_finishing_a_step_readies_the_next_and_notifies_its_holder():
    developer = UserFactory(role=Role.OPERATIONS, email="dev@example.com")
    project = start(website_template())
    design = project.tasks.get(title="Design")

    change_task_status(task=design, status=TaskStatus.DONE, actor=design.project.owner)

    development = project.tasks.get(title="Development")
    assert development.status == TaskStatus.TODO
    assert project.tasks.get(title="Testing").status == TaskStatus.WAITING
    notice = Notification.objects.get(
        user=developer, kind="task_ready", title__startswith="Ready for you: Development"
    )
    assert "Designs are in the shared folder." in notice.body
    assert notice.url == f"/projects/tasks/{development.pk}/"
    email = OutboundMessage.objects.get(
        to_address="dev@example.com", subject__startswith="Ready for you: Development"
    )
    assert "Designs are in the shared folder." in email.body


def test_finishing_a_step_notifies_everyone_with_the_role_when_unassigned():
    first, second = UserFactory(role=Role.SUPPORT), UserFactory(role=Role.SUPPORT)
    project = start(website_template())
    for title in ("Design", "Development"):
        change_task_status(task=project.tasks.get(title=title), status=TaskStatus.DONE, actor=None)

    noticed = set(
        Notification.objects.filter(kind="task_ready", title__contains="Testing").values_list(
            "user_id", flat=True
        )
    )
    assert noticed == {first.pk, second.pk}


def test_start_from_template_without_steps_is_refused():
    with pytest.raises(ValidationError, match="has no steps"):
        start(WorkflowTemplateFactory())
    assert not Project.objects.exists()


def test_create_template_orders_steps_and_refuses_bad_rows():
    actor = UserFactory(role=Role.MANAGER)
    template = create_template(
        values={"name": "Audit"},
        steps=[
            {"title": "Collect papers", "role": Role.FINANCE, "offset_working_days": 2},
            {"title": "Report", "role": Role.FINANCE, "estimate_hours": Decimal("3.5")},
        ],
        actor=actor,
    )

    assert [(s.position, s.title) for s in template.steps.all()] == [
        (1, "Collect papers"),
        (2, "Report"),
    ]
    with pytest.raises(ValidationError) as error:
        update_template(
            template=template,
            values={},
            steps=[{"title": "", "role": Role.FINANCE}, {"title": "X", "role": "chef"}],
            actor=actor,
        )
    assert error.value.message_dict["steps"] == [
        "Step 1: give the step a title.",
        "Step 2: choose the role responsible.",
    ]
    assert template.steps.count() == 2


def test_start_project_for_deal_makes_one_project_per_deal_and_template():
    template = website_template()
    deal = DealFactory()

    first, created = start_project_for_deal(template=template, deal=deal, actor=None)
    again, created_again = start_project_for_deal(template=template, deal=deal, actor=None)

    assert created and not created_again
    assert first == again
    assert Project.objects.filter(deal=deal).count() == 1
    assert first.contact == deal.contact
    assert first.owner == deal.owner
    assert Task.objects.filter(project=first).count() == 4
