"""Factories for the projects app. Other apps' tests may import these."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.projects.models import (
    ChecklistItem,
    HourlyRate,
    Project,
    ProjectStatus,
    Task,
    TaskStatus,
    TimeEntry,
    WorkflowStep,
    WorkflowTemplate,
)
from hamkor.projects.services.time import count_time_entry
from tests.accounts.factories import UserFactory
from tests.contacts.factories import CompanyFactory


class WorkflowTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkflowTemplate
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Template {n}")


class WorkflowStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkflowStep

    template = factory.SubFactory(WorkflowTemplateFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Step {n}")
    role = Role.OPERATIONS
    offset_working_days = 1
    estimate_hours = Decimal("4.00")
    waits_for_previous = True


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project for a company; owner and team follow the company's owner."""

    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")
    company = factory.SubFactory(CompanyFactory)
    owner = factory.LazyAttribute(lambda o: o.company.owner if o.company else UserFactory())
    team = factory.LazyAttribute(lambda o: o.owner.team if o.owner else None)
    status = ProjectStatus.ACTIVE
    start_date = factory.LazyFunction(date.today)
    currency = "USD"


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    status = TaskStatus.TODO
    position = factory.Sequence(lambda n: n)


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    task = factory.SubFactory(TaskFactory)
    text = factory.Sequence(lambda n: f"Check {n}")


# --- time (helper h2) ---------------------------------------------------------------------


class TimeEntryFactory(factory.django.DjangoModelFactory):
    """A finished hour of billable work on a task, by the project's manager, at 100 USD."""

    class Meta:
        model = TimeEntry
        skip_postgeneration_save = True

    task = factory.SubFactory(TaskFactory)
    project = factory.LazyAttribute(lambda o: o.task.project if o.task else ProjectFactory())
    user = factory.LazyAttribute(lambda o: o.project.owner or UserFactory())
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    ended_at = factory.LazyAttribute(lambda o: o.started_at + timedelta(minutes=o.minutes))
    minutes = 60
    billable = True
    rate = Decimal("100.00")
    currency = "USD"

    @factory.post_generation
    def totals(obj, create, extracted, **kwargs):
        # Entries made by the services count in the kept time totals; so do these.
        if create:
            count_time_entry(obj)


class HourlyRateFactory(factory.django.DjangoModelFactory):
    """A user's rate unless a project or task is given (then pass ``user=None``)."""

    class Meta:
        model = HourlyRate

    user = factory.SubFactory(UserFactory)
    rate = Decimal("50.00")
    currency = "USD"
