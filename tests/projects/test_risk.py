"""The risk list: overdue tasks, late projects, projects over budget."""

import datetime
from decimal import Decimal

import factory
import pytest
from django.core.exceptions import PermissionDenied

from hamkor.accounts.models import Role
from hamkor.core.models import ExchangeRate
from hamkor.projects.models import ProjectStatus, TaskStatus
from hamkor.projects.selectors.risk import get_risk_list
from tests.accounts.factories import UserFactory
from tests.projects.factories import ProjectFactory, TaskFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 4)
YESTERDAY = TODAY - datetime.timedelta(days=1)


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate
        django_get_or_create = ("date", "currency")

    date = datetime.date(2026, 1, 1)
    currency = "USD"
    rate = Decimal("12000")


@pytest.fixture
def manager():
    return UserFactory(role=Role.MANAGER)


def test_risk_list_has_open_overdue_tasks_of_open_projects(manager):
    late = TaskFactory(due_date=YESTERDAY - datetime.timedelta(days=3))
    later = TaskFactory(due_date=YESTERDAY, status=TaskStatus.IN_PROGRESS)
    TaskFactory(due_date=YESTERDAY, status=TaskStatus.DONE)
    TaskFactory(due_date=TODAY)
    TaskFactory(due_date=YESTERDAY, project=ProjectFactory(status=ProjectStatus.CANCELLED))

    risks = get_risk_list(viewer=manager, today=TODAY)

    assert risks.overdue_tasks == [late, later]
    assert risks.overdue_task_count == 2


def test_risk_list_has_open_projects_past_due(manager):
    start = TODAY - datetime.timedelta(days=30)
    late = ProjectFactory(start_date=start, due_date=YESTERDAY, status=ProjectStatus.ON_HOLD)
    ProjectFactory(start_date=start, due_date=YESTERDAY, status=ProjectStatus.DONE)
    ProjectFactory(start_date=start, due_date=TODAY)

    risks = get_risk_list(viewer=manager, today=TODAY)

    assert risks.late_projects == [late]
    assert risks.late_project_count == 1


def test_risk_list_has_projects_over_their_hours_budget(manager):
    over = ProjectFactory(budget_hours=Decimal("1.00"))
    TimeEntryFactory(task=TaskFactory(project=over), minutes=61, billable=False)
    within = ProjectFactory(budget_hours=Decimal("2.00"))
    TimeEntryFactory(task=TaskFactory(project=within), minutes=120)

    risks = get_risk_list(viewer=manager, today=TODAY)

    assert [r.project for r in risks.over_budget] == [over]
    assert risks.over_budget[0].hours == Decimal("1.02")
    assert risks.over_budget[0].over_hours


def test_risk_list_converts_cost_into_the_project_currency(manager):
    ExchangeRateFactory(currency="USD", rate=Decimal("12000"))
    over = ProjectFactory(currency="UZS", budget_amount=Decimal("1000000"))
    # 1 h at 100 USD = 1,200,000 UZS > 1,000,000.
    TimeEntryFactory(task=TaskFactory(project=over), minutes=60, rate=Decimal(100))
    within = ProjectFactory(currency="UZS", budget_amount=Decimal("1300000"))
    TimeEntryFactory(task=TaskFactory(project=within), minutes=60, rate=Decimal(100))
    # Non-billable time costs the budget nothing.
    TimeEntryFactory(task=TaskFactory(project=within), minutes=600, billable=False)

    risks = get_risk_list(viewer=manager, today=TODAY)

    assert [r.project for r in risks.over_budget] == [over]
    assert risks.over_budget[0].cost == Decimal("1200000.00")
    assert risks.over_budget[0].over_amount


def test_risk_list_without_an_exchange_rate_says_the_cost_is_unknown(manager):
    project = ProjectFactory(
        currency="UZS", budget_amount=Decimal("1"), budget_hours=Decimal("0.5")
    )
    TimeEntryFactory(task=TaskFactory(project=project), minutes=60, currency="EUR")

    risks = get_risk_list(viewer=manager, today=TODAY)

    assert risks.over_budget[0].cost is None
    assert "EUR exchange rate" in risks.over_budget[0].cost_error
    assert risks.over_budget[0].over_hours


def test_risk_list_leaves_out_closed_projects(manager):
    done = ProjectFactory(budget_hours=Decimal("1"), status=ProjectStatus.DONE)
    TimeEntryFactory(task=TaskFactory(project=done), minutes=600)

    assert get_risk_list(viewer=manager, today=TODAY).over_budget == []


def test_risk_list_is_for_managers_only():
    with pytest.raises(PermissionDenied):
        get_risk_list(viewer=UserFactory(role=Role.SALES), today=TODAY)


def test_risk_list_shows_the_longest_overdue_first_across_statuses(manager):
    due = [YESTERDAY - datetime.timedelta(days=d) for d in (1, 5, 3, 2)]
    statuses = [TaskStatus.TODO, TaskStatus.WAITING, TaskStatus.IN_PROGRESS, TaskStatus.TODO]
    tasks = [TaskFactory(due_date=d, status=s) for d, s in zip(due, statuses, strict=True)]

    risks = get_risk_list(viewer=manager, today=TODAY)

    assert risks.overdue_tasks == [tasks[1], tasks[2], tasks[3], tasks[0]]


def test_risk_list_shows_the_worst_overruns_first_and_counts_them_all(manager, monkeypatch):
    monkeypatch.setattr("hamkor.projects.selectors.risk.RISK_LIMIT", 2)
    by_ten_percent = ProjectFactory(budget_hours=Decimal("10.00"))
    TimeEntryFactory(task=TaskFactory(project=by_ten_percent), minutes=11 * 60)
    doubled = ProjectFactory(budget_hours=Decimal("1.00"))
    TimeEntryFactory(task=TaskFactory(project=doubled), minutes=120)
    by_half = ProjectFactory(budget_hours=Decimal("2.00"))
    TimeEntryFactory(task=TaskFactory(project=by_half), minutes=180)

    risks = get_risk_list(viewer=manager, today=TODAY)

    assert [r.project for r in risks.over_budget] == [doubled, by_half]
    assert risks.over_budget_count == 3
