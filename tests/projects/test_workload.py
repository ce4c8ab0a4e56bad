"""Workload: remaining estimates per person per ISO week, against capacity."""

import datetime
from decimal import Decimal

import pytest

from hamkor.accounts.models import Role
from hamkor.projects.models import TaskStatus, WorkCapacity
from hamkor.projects.selectors.workload import get_workload
from tests.accounts.factories import TeamFactory, UserFactory
from tests.projects.factories import ProjectFactory, TaskFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)


def _task(user, estimate, due, status=TaskStatus.TODO, logged_minutes=0):
    task = TaskFactory(
        project=ProjectFactory(),
        assignee=user,
        estimate_hours=estimate,
        due_date=due,
        status=status,
    )
    if logged_minutes:
        TimeEntryFactory(task=task, user=user, minutes=logged_minutes)
    return task


@pytest.fixture
def team():
    """Three people of one team with a hand-checked set of tasks (see the asserts)."""
    team = TeamFactory(name="Delivery")
    anna = UserFactory(username="anna", first_name="Anna", team=team)
    bob = UserFactory(username="bob", first_name="Bob", team=team)
    UserFactory(username="cem", first_name="Cem", team=team)
    WorkCapacity.objects.create(user=bob, weekly_hours=Decimal(10))
    # Anna, week 1: 30 - 1.5 logged = 28.5, plus 20 overdue = 48.5 (> 40).
    _task(anna, Decimal(30), MONDAY + datetime.timedelta(days=2), logged_minutes=90)
    _task(anna, Decimal(20), MONDAY - datetime.timedelta(days=10))
    # Week 2: 8.
    _task(anna, Decimal(8), MONDAY + datetime.timedelta(days=8))
    # Not counted: done, logged past its estimate, due after week 4.
    _task(anna, Decimal(5), MONDAY, status=TaskStatus.DONE)
    _task(anna, Decimal(2), MONDAY + datetime.timedelta(days=1), logged_minutes=180)
    _task(anna, Decimal(10), MONDAY + datetime.timedelta(days=60))
    # No due date: apart.
    _task(anna, Decimal(4), None)
    # Bob, week 3: 12 (> his 10).
    _task(bob, Decimal(12), MONDAY + datetime.timedelta(days=14), status=TaskStatus.WAITING)
    return team


def test_get_workload_sums_remaining_estimates_by_week(team):
    manager = UserFactory(role=Role.MANAGER)

    workload = get_workload(viewer=manager, weeks=4, team_id=team.pk, start=MONDAY)

    assert workload.weeks == [MONDAY + datetime.timedelta(weeks=i) for i in range(4)]
    table = {row.user.username: [cell.hours for cell in row.cells] for row in workload.rows}
    assert table == {
        "anna": [Decimal("48.50"), Decimal("8.00"), Decimal("0.00"), Decimal("0.00")],
        "bob": [Decimal("0.00"), Decimal("0.00"), Decimal("12.00"), Decimal("0.00")],
        "cem": [Decimal("0.00")] * 4,
    }
    undated = {row.user.username: row.undated for row in workload.rows}
    assert undated == {"anna": Decimal("4.00"), "bob": Decimal("0.00"), "cem": Decimal("0.00")}


def test_get_workload_flags_weeks_over_capacity(team):
    manager = UserFactory(role=Role.MANAGER)

    workload = get_workload(viewer=manager, weeks=4, team_id=team.pk, start=MONDAY)

    over = {row.user.username: [cell.over for cell in row.cells] for row in workload.rows}
    capacity = {row.user.username: row.capacity for row in workload.rows}
    assert over == {
        "anna": [True, False, False, False],
        "bob": [False, False, True, False],
        "cem": [False] * 4,
    }
    assert capacity == {"anna": Decimal(40), "bob": Decimal("10.00"), "cem": Decimal(40)}


def test_get_workload_shows_others_only_their_own_row(team):
    anna = team.members.get(username="anna")

    workload = get_workload(viewer=anna, weeks=2, start=MONDAY)

    assert [row.user for row in workload.rows] == [anna]
    assert [cell.hours for cell in workload.rows[0].cells] == [Decimal("48.50"), Decimal("8.00")]


def test_get_workload_ignores_a_team_filter_from_non_managers(team):
    outsider = UserFactory(username="olga")

    workload = get_workload(viewer=outsider, weeks=1, team_id=team.pk, start=MONDAY)

    assert [row.user for row in workload.rows] == [outsider]


def test_get_workload_for_everyone_lists_every_active_user(team):
    manager = UserFactory(role=Role.MANAGER, username="zed")
    UserFactory(username="gone", is_active=False)

    workload = get_workload(viewer=manager, weeks=1, start=MONDAY)

    names = {row.user.username for row in workload.rows}
    assert {"anna", "bob", "cem", "zed"} <= names
    assert "gone" not in names
    anna = next(row for row in workload.rows if row.user.username == "anna")
    assert anna.cells[0].hours == Decimal("48.50")
