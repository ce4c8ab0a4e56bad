import typing

import pytest

from hamkor.accounts.models import Role
from hamkor.activities import schemas
from hamkor.activities.models import Activity, ActivityKind, ActivityOutcome
from tests.accounts.factories import TeamFactory, UserFactory
from tests.activities.factories import ActivityFactory
from tests.api.helpers import api_client, send
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db

ACTIVITIES = "/api/v1/activities"


@pytest.fixture
def seller():
    return UserFactory(role=Role.SALES, team=TeamFactory(name="Team A"))


@pytest.fixture
def rival():
    return UserFactory(role=Role.SALES, team=TeamFactory(name="Team B"))


@pytest.fixture
def client(seller):
    return api_client(seller)


@pytest.mark.parametrize(
    ("literal", "choices"),
    [
        (schemas.ActivityKindValue, ActivityKind.values),
        (schemas.ActivityOutcomeValue, ActivityOutcome.values),
    ],
)
def test_schema_choices_match_model_choices(literal, choices):
    assert sorted(typing.get_args(literal)) == sorted(choices)


def test_plan_and_list_activities_in_a_range(client, seller):
    contact = ContactFactory(owner=seller)

    created = send(
        client,
        "post",
        ACTIVITIES,
        {
            "kind": "meeting",
            "subject": "Tasting",
            "due_at": "2030-05-01T15:00:00+06:00",
            "duration_minutes": 60,
            "contact_id": contact.pk,
            "remind_minutes_before": None,
        },
    )
    listed = client.get(
        ACTIVITIES, {"start": "2030-05-01T00:00:00Z", "end": "2030-05-02T00:00:00Z"}
    )

    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["due_at"].startswith("2030-05-01T09:00:00")
    assert body["ends_at"].startswith("2030-05-01T10:00:00")
    assert body["contact"]["id"] == contact.pk
    assert body["remind_minutes_before"] is None
    assert [item["subject"] for item in listed.json()["items"]] == ["Tasting"]


def test_complete_with_follow_up_returns_both(client, seller):
    activity = ActivityFactory(contact=ContactFactory(owner=seller))

    response = send(
        client,
        "post",
        f"{ACTIVITIES}/{activity.pk}/complete",
        {
            "outcome": "rescheduled",
            "follow_up": {"kind": "call", "due_at": "2030-05-03T10:00:00Z"},
        },
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["activity"]["outcome"] == "rescheduled"
    assert body["follow_up"]["follow_up_of_id"] == activity.pk
    assert Activity.objects.count() == 2


def test_another_teams_activity_is_not_found(client, rival):
    activity = ActivityFactory(contact=ContactFactory(owner=rival))

    assert client.get(f"{ACTIVITIES}/{activity.pk}").status_code == 404
    assert client.delete(f"{ACTIVITIES}/{activity.pk}").status_code == 404


def test_plan_for_an_invisible_contact_is_refused(client, rival):
    contact = ContactFactory(owner=rival)

    response = send(
        client,
        "post",
        ACTIVITIES,
        {
            "kind": "call",
            "subject": "x",
            "due_at": "2030-05-01T10:00:00Z",
            "contact_id": contact.pk,
        },
    )

    assert response.status_code == 422
    assert "contact_id" in response.json()["errors"]


def test_bad_input_is_a_clear_422(client):
    response = send(client, "post", ACTIVITIES, {"kind": "party", "subject": "x", "due_at": "soon"})

    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "kind" in detail
    assert "due_at" in detail


def test_completing_twice_is_refused(client, seller):
    activity = ActivityFactory(contact=ContactFactory(owner=seller))
    path = f"{ACTIVITIES}/{activity.pk}/complete"
    send(client, "post", path, {"outcome": "successful"})

    response = send(client, "post", path, {"outcome": "successful"})

    assert response.status_code == 422
