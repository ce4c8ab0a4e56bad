"""REST API for workload, capacity and risks."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.projects.models import WorkCapacity
from tests.accounts.factories import UserFactory
from tests.api.helpers import api_client, send
from tests.projects.factories import ProjectFactory, TaskFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db


def test_workload_for_a_worker_has_their_row_only():
    worker = UserFactory()
    TaskFactory(assignee=worker, estimate_hours=Decimal(45), due_date=timezone.localdate())
    UserFactory()

    response = api_client(worker).get("/api/v1/workload", {"weeks": 2})

    assert response.status_code == 200
    body = response.json()
    assert len(body["weeks"]) == 2
    assert [row["user"]["id"] for row in body["rows"]] == [worker.pk]
    assert body["rows"][0]["weeks"][0] == {
        "week": body["weeks"][0],
        "hours": "45.00",
        "over": True,
    }


@pytest.mark.parametrize("params", [{"weeks": 0}, {"weeks": 27}, {"weeks": "x"}, {"team": 1}])
def test_workload_bad_input_is_422(params):
    response = api_client(UserFactory()).get("/api/v1/workload", params)

    assert response.status_code == 422
    assert response.json()["detail"]


def test_capacity_set_by_a_manager():
    manager, person = UserFactory(role=Role.MANAGER), UserFactory()

    response = send(
        api_client(manager), "put", f"/api/v1/workload/capacity/{person.pk}", {"weekly_hours": 30}
    )

    assert response.status_code == 200
    assert WorkCapacity.objects.get(user=person).weekly_hours == Decimal(30)


def test_capacity_set_by_a_worker_is_403():
    worker = UserFactory()

    response = send(
        api_client(worker), "put", f"/api/v1/workload/capacity/{worker.pk}", {"weekly_hours": 30}
    )

    assert response.status_code == 403


def test_risks_for_a_manager_lists_overdue_tasks():
    overdue = TaskFactory(due_date=timezone.localdate() - datetime.timedelta(days=2))

    response = api_client(UserFactory(role=Role.MANAGER)).get("/api/v1/risks")

    assert response.status_code == 200
    body = response.json()
    assert [t["id"] for t in body["overdue_tasks"]] == [overdue.pk]
    assert body["overdue_task_count"] == 1
    assert body["over_budget"] == []


def test_risks_with_a_budget_overrun_say_by_how_much():
    project = ProjectFactory(budget_hours=Decimal(1))
    TimeEntryFactory(task=TaskFactory(project=project), minutes=90)

    body = api_client(UserFactory(role=Role.ADMIN)).get("/api/v1/risks").json()

    assert body["over_budget"][0]["project"]["id"] == project.pk
    assert body["over_budget"][0]["hours"] == "1.50"
    assert body["over_budget"][0]["over_hours"] is True


def test_risks_for_a_worker_is_403():
    response = api_client(UserFactory()).get("/api/v1/risks")

    assert response.status_code == 403
    assert response.json()["detail"]
