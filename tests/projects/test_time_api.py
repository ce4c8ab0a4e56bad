"""REST API for time entries, the timer and rates: happy paths, permissions, bad input."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.projects.models import HourlyRate, TimeEntry
from hamkor.projects.services.time import mark_time_invoiced
from tests.accounts.factories import UserFactory
from tests.api.helpers import api_client, send
from tests.projects.factories import (
    HourlyRateFactory,
    ProjectFactory,
    TaskFactory,
    TimeEntryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker():
    return UserFactory(username="dev")


@pytest.fixture
def task(worker):
    return TaskFactory(project=ProjectFactory(owner=worker, team=worker.team), assignee=worker)


@pytest.fixture
def client(worker):
    return api_client(worker)


def test_timer_start_get_and_stop(client, task):
    started = send(client, "post", "/api/v1/timer/start", {"task_id": task.pk})
    current = client.get("/api/v1/timer")
    stopped = send(client, "post", "/api/v1/timer/stop", {})

    assert started.status_code == 201
    assert started.json()["entry"]["project"]["id"] == task.project_id
    assert started.json()["entry"]["running"] is True
    assert current.json()["entry"]["id"] == started.json()["entry"]["id"]
    assert stopped.status_code == 200
    assert stopped.json()["stopped"]["minutes"] == 1
    assert client.get("/api/v1/timer").json()["entry"] is None


def test_timer_start_stops_the_running_one(client, task):
    first = send(client, "post", "/api/v1/timer/start", {"task_id": task.pk}).json()

    second = send(client, "post", "/api/v1/timer/start", {"project_id": task.project_id})

    assert second.status_code == 201
    assert second.json()["stopped"]["id"] == first["entry"]["id"]
    assert second.json()["entry"]["task"] is None


def test_timer_stop_without_a_timer_is_409(client):
    response = send(client, "post", "/api/v1/timer/stop", {})

    assert response.status_code == 409
    assert "No timer" in response.json()["detail"]


def test_timer_on_a_project_you_cannot_see_is_refused(client):
    hidden = ProjectFactory(owner=UserFactory(), team=None)

    response = send(client, "post", "/api/v1/timer/start", {"project_id": hidden.pk})

    assert response.status_code == 422
    assert "project_id" in response.json()["errors"]


def test_create_entry_with_day_and_minutes_takes_the_rate(client, task):
    HourlyRateFactory(user=None, task=task, rate=Decimal("80"), currency="USD")
    day = timezone.localdate() - datetime.timedelta(days=1)

    response = send(
        client,
        "post",
        "/api/v1/time-entries",
        {"task_id": task.pk, "day": day.isoformat(), "minutes": 45, "note": "Review"},
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["minutes"], body["rate"], body["currency"]) == (45, "80.00", "USD")
    assert body["amount"] == "60.00"


@pytest.mark.parametrize(
    "payload",
    [
        {"minutes": 30},
        {"project_id": "x", "minutes": 30},
        {"project_id": 1, "minutes": 0},
        {"project_id": 1, "minutes": 30, "note": "n" * 501},
        ["not", "an", "object"],
    ],
)
def test_create_entry_bad_input_is_422(client, task, payload):
    response = send(client, "post", "/api/v1/time-entries", payload)

    assert response.status_code == 422
    assert response.json()["detail"]


def test_create_entry_with_a_task_of_another_project_is_422(client, task, worker):
    other = ProjectFactory(owner=worker, team=worker.team)

    response = send(
        client,
        "post",
        "/api/v1/time-entries",
        {"project_id": other.pk, "task_id": task.pk, "minutes": 30, "day": "2026-01-05"},
    )

    assert response.status_code == 422
    assert "task_id" in response.json()["errors"]


def test_list_entries_filters_and_hides_other_peoples_projects(client, task, worker):
    mine = TimeEntryFactory(task=task, user=worker)
    TimeEntryFactory(task=task, user=worker, billable=False)
    TimeEntryFactory(task=TaskFactory(project=ProjectFactory(owner=UserFactory(), team=None)))

    response = client.get("/api/v1/time-entries", {"billable": "true"})

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [mine.pk]


def test_list_entries_refuses_unknown_parameters_and_backwards_days(client):
    unknown = client.get("/api/v1/time-entries", {"projekt": 1})
    backwards = client.get("/api/v1/time-entries", {"start": "2026-02-02", "end": "2026-02-01"})

    assert unknown.status_code == 422
    assert backwards.status_code == 422


def test_patch_entry_changes_duration(client, task, worker):
    entry = TimeEntryFactory(task=task, user=worker)

    response = send(client, "patch", f"/api/v1/time-entries/{entry.pk}", {"minutes": 20})

    assert response.status_code == 200
    assert response.json()["minutes"] == 20


def test_patch_invoiced_entry_is_409(client, task, worker):
    entry = TimeEntryFactory(task=task, user=worker)
    mark_time_invoiced(entry_ids=[entry.pk], invoice_number="2026-0042")

    patched = send(client, "patch", f"/api/v1/time-entries/{entry.pk}", {"note": "x"})
    deleted = client.delete(f"/api/v1/time-entries/{entry.pk}")

    assert patched.status_code == 409
    assert "2026-0042" in patched.json()["detail"]
    assert deleted.status_code == 409
    assert TimeEntry.objects.filter(pk=entry.pk).exists()


def test_patch_someone_elses_entry_is_404(client, task):
    theirs = TimeEntryFactory(task=task, user=UserFactory())

    response = send(client, "patch", f"/api/v1/time-entries/{theirs.pk}", {"note": "x"})

    assert response.status_code == 404
    assert response.json()["detail"]


def test_delete_entry(client, task, worker):
    entry = TimeEntryFactory(task=task, user=worker)

    response = client.delete(f"/api/v1/time-entries/{entry.pk}")

    assert response.status_code == 204
    assert not TimeEntry.objects.filter(pk=entry.pk).exists()


def test_set_rate_as_manager_creates_then_replaces():
    manager = UserFactory(role=Role.MANAGER)
    project = ProjectFactory()
    client = api_client(manager)

    created = send(
        client, "post", "/api/v1/rates", {"project_id": project.pk, "rate": "40", "currency": "usd"}
    )
    replaced = send(
        client, "post", "/api/v1/rates", {"project_id": project.pk, "rate": "45", "currency": "USD"}
    )

    assert created.status_code == 201
    assert replaced.status_code == 200
    assert replaced.json()["rate"] == "45.00"
    assert HourlyRate.objects.get(project=project).currency == "USD"


def test_set_rate_as_sales_is_403(client, worker):
    response = send(
        client, "post", "/api/v1/rates", {"user_id": worker.pk, "rate": "40", "currency": "USD"}
    )

    assert response.status_code == 403
    assert "managers" in response.json()["detail"]


def test_set_rate_needs_exactly_one_target():
    manager = UserFactory(role=Role.MANAGER)

    response = send(
        api_client(manager),
        "post",
        "/api/v1/rates",
        {"user_id": manager.pk, "project_id": ProjectFactory().pk, "rate": 1, "currency": "USD"},
    )

    assert response.status_code == 422


def test_delete_rate_as_manager():
    manager = UserFactory(role=Role.MANAGER)
    rate = HourlyRateFactory()

    response = api_client(manager).delete(f"/api/v1/rates/{rate.pk}")

    assert response.status_code == 204
    assert not HourlyRate.objects.filter(pk=rate.pk).exists()


def test_list_rates_shows_a_worker_only_their_own_and_visible(client, worker, task):
    own = HourlyRateFactory(user=worker)
    on_task = HourlyRateFactory(user=None, task=task)
    HourlyRateFactory()

    response = client.get("/api/v1/rates")

    assert {item["id"] for item in response.json()["items"]} == {own.pk, on_task.pk}
