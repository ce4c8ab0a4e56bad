import datetime
import typing

import pytest
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.activities import schemas
from hamkor.activities.models import Channel, Direction, Interaction, Outcome
from tests.accounts.factories import TeamFactory, UserFactory
from tests.activities.factories import InteractionFactory
from tests.api.helpers import api_client, send
from tests.contacts.factories import CompanyFactory, ContactFactory

pytestmark = pytest.mark.django_db

INTERACTIONS = "/api/v1/interactions"


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
        (schemas.ChannelValue, Channel.values),
        (schemas.DirectionValue, Direction.values),
        (schemas.OutcomeValue, Outcome.values),
    ],
)
def test_schema_choices_match_model_choices(literal, choices):
    assert sorted(typing.get_args(literal)) == sorted(choices)


def test_log_interaction_for_a_contact_takes_the_contacts_company(client, seller):
    company = CompanyFactory(owner=seller)
    contact = ContactFactory(owner=seller, company=company)

    response = send(
        client,
        "post",
        INTERACTIONS,
        {
            "contact_id": contact.pk,
            "channel": "phone",
            "direction": "out",
            "subject": "Price list",
            "outcome": "follow_up",
            "occurred_at": "2024-03-21T10:30:00+05:00",
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert body["contact"] == {"id": contact.pk, "full_name": contact.full_name}
    assert body["company"] == {"id": company.pk, "name": company.name}
    assert body["created_by"]["id"] == seller.pk
    assert body["occurred_at"].startswith("2024-03-21T05:30:00")
    assert (body["channel"], body["outcome"]) == ("phone", "follow_up")


def test_log_interaction_defaults_to_now(client, seller):
    contact = ContactFactory(owner=seller)

    response = send(
        client,
        "post",
        INTERACTIONS,
        {"contact_id": contact.pk, "channel": "visit", "direction": "in"},
    )

    occurred_at = datetime.datetime.fromisoformat(response.json()["occurred_at"])
    assert abs(timezone.now() - occurred_at) < datetime.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"channel": "phone", "direction": "out"}, "contact or a company"),
        ({"contact_id": 999_999, "channel": "phone", "direction": "out"}, "contact_id"),
        ({"company_id": 999_999, "channel": "phone", "direction": "out"}, "company_id"),
        ({"channel": "pigeon", "direction": "out"}, "channel"),
        ({"channel": "phone", "direction": "sideways"}, "direction"),
        ({"channel": "phone", "direction": "out", "occurred_at": "yesterday"}, "occurred_at"),
        ({"channel": "phone", "direction": "out", "outcome": "great"}, "outcome"),
    ],
)
def test_log_interaction_rejects_bad_input_with_detail(client, payload, field):
    response = send(client, "post", INTERACTIONS, payload)

    assert response.status_code == 422
    assert field in response.json()["detail"]


def test_log_interaction_rejects_a_future_time(client, seller):
    contact = ContactFactory(owner=seller)
    next_week = (timezone.now() + datetime.timedelta(days=7)).isoformat()

    response = send(
        client,
        "post",
        INTERACTIONS,
        {"contact_id": contact.pk, "channel": "sms", "direction": "out", "occurred_at": next_week},
    )

    assert response.status_code == 422
    assert response.json()["detail"].startswith("occurred_at:")


def test_log_interaction_for_another_teams_contact_is_rejected(client, rival):
    hidden = ContactFactory(owner=rival)

    response = send(
        client,
        "post",
        INTERACTIONS,
        {"contact_id": hidden.pk, "channel": "phone", "direction": "out"},
    )

    assert response.status_code == 422
    assert response.json()["detail"].startswith("contact_id:")
    assert not Interaction.objects.filter(contact=hidden).exists()


def test_list_interactions_shows_only_visible_customers(client, seller, rival):
    mine = InteractionFactory(contact=ContactFactory(owner=seller))
    InteractionFactory(contact=ContactFactory(owner=rival))

    response = client.get(INTERACTIONS)

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert [item["id"] for item in response.json()["items"]] == [mine.pk]


def test_list_interactions_filters_by_contact_and_channel(client, seller):
    contact = ContactFactory(owner=seller)
    wanted = InteractionFactory(contact=contact, channel=Channel.TELEGRAM)
    InteractionFactory(contact=contact, channel=Channel.PHONE)
    InteractionFactory(contact=ContactFactory(owner=seller), channel=Channel.TELEGRAM)

    response = client.get(INTERACTIONS, {"contact_id": contact.pk, "channel": "telegram"})

    assert [item["id"] for item in response.json()["items"]] == [wanted.pk]


def test_manager_lists_interactions_of_every_team(seller, rival):
    InteractionFactory(contact=ContactFactory(owner=seller))
    InteractionFactory(contact=ContactFactory(owner=rival))

    response = api_client(UserFactory(role=Role.MANAGER)).get(INTERACTIONS)

    assert response.json()["count"] == 2


def test_update_interaction_changes_only_the_fields_sent(client, seller):
    interaction = InteractionFactory(contact=ContactFactory(owner=seller), subject="Call")

    response = send(client, "patch", f"{INTERACTIONS}/{interaction.pk}", {"outcome": "no_answer"})

    assert response.status_code == 200
    assert (response.json()["outcome"], response.json()["subject"]) == ("no_answer", "Call")


def test_delete_interaction_removes_it(client, seller):
    interaction = InteractionFactory(contact=ContactFactory(owner=seller))

    response = client.delete(f"{INTERACTIONS}/{interaction.pk}")

    assert response.status_code == 204
    assert client.get(f"{INTERACTIONS}/{interaction.pk}").status_code == 404


def test_other_teams_interaction_cannot_be_read_changed_or_deleted(client, rival):
    hidden = InteractionFactory(contact=ContactFactory(owner=rival), subject="Secret")

    read = client.get(f"{INTERACTIONS}/{hidden.pk}")
    changed = send(client, "patch", f"{INTERACTIONS}/{hidden.pk}", {"subject": "Mine"})
    deleted = client.delete(f"{INTERACTIONS}/{hidden.pk}")

    assert [r.status_code for r in (read, changed, deleted)] == [404, 404, 404]
    hidden.refresh_from_db()
    assert hidden.subject == "Secret"


@pytest.mark.parametrize("path", ["/api/v1/activities", "/api/v1/booking/bookings"])
def test_a_time_with_an_offset_past_fifteen_hours_is_read_in_utc(client, path):
    # ISO 8601 allows offsets up to ±23:59; PostgreSQL refuses past ±15:59.
    response = client.get(path, {"start": "2030-06-01T10:00:00+21:09"})

    assert response.status_code == 200, response.content


@pytest.mark.parametrize("path", ["/api/v1/activities", "/api/v1/booking/bookings"])
def test_a_number_for_a_time_is_refused_not_read_as_seconds_since_1970(client, path):
    response = client.get(path, {"start": "0.9069358590769109"})

    assert response.status_code == 422
    assert "YYYY-MM-DD" in response.json()["detail"]
