"""The tickets API: happy path, permissions and bad input."""

import pytest

from hamkor.accounts.models import Role
from hamkor.messaging.models import OutboundMessage
from hamkor.support.models import Priority, Ticket, TicketChannel, TicketStatus, TicketType
from hamkor.support.schemas import (
    PriorityValue,
    TicketChannelValue,
    TicketStatusValue,
    TicketTypeValue,
)
from tests.accounts.factories import TeamFactory, UserFactory
from tests.api.helpers import api_client, send
from tests.support.factories import TicketFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(agent):
    return api_client(agent)


@pytest.mark.parametrize(
    ("literal", "choices"),
    [
        (TicketStatusValue, TicketStatus),
        (TicketTypeValue, TicketType),
        (TicketChannelValue, TicketChannel),
        (PriorityValue, Priority),
    ],
)
def test_schema_choices_match_model_choices(literal, choices):
    assert set(literal.__args__) == set(choices.values)


def test_open_reply_and_resolve_a_ticket(api, agent, customer):
    customer.owner, customer.team = agent, agent.team
    customer.save()

    created = send(
        api,
        "post",
        "/api/v1/support/tickets",
        {
            "contact_id": customer.pk,
            "subject": "Cake arrived squashed",
            "body": "The top layer is flat.",
            "type": "complaint",
            "priority": "high",
            "assignee_id": agent.pk,
        },
    )
    assert created.status_code == 201, created.content
    ticket = created.json()
    assert ticket["number"] == f"#{ticket['id']}"
    assert ticket["status"] == "open"  # assigning a new ticket opens it
    assert ticket["assignee"]["id"] == agent.pk
    assert ticket["messages"][0]["body"] == "The top layer is flat."

    note = send(
        api,
        "post",
        f"/api/v1/support/tickets/{ticket['id']}/messages",
        {"body": "Call the bakery.", "internal": True},
    )
    reply = send(
        api, "post", f"/api/v1/support/tickets/{ticket['id']}/messages", {"body": "Sorry!"}
    )
    resolved = send(
        api, "post", f"/api/v1/support/tickets/{ticket['id']}/status", {"status": "resolved"}
    )

    assert (note.status_code, reply.status_code, resolved.status_code) == (201, 201, 200)
    assert resolved.json()["status"] == "resolved"
    assert resolved.json()["first_response_at"] is not None
    listed = api.get("/api/v1/support/tickets", {"status": "resolved"}).json()
    assert [item["id"] for item in listed["items"]] == [ticket["id"]]
    assert (
        OutboundMessage.objects.filter(contact=customer).count() == 4
    )  # open, reply, resolved, csat


def test_a_status_the_ticket_does_not_allow_answers_409(api):
    ticket = TicketFactory(status=TicketStatus.CLOSED)

    response = send(api, "post", f"/api/v1/support/tickets/{ticket.pk}/status", {"status": "open"})

    assert response.status_code == 409
    assert "cannot become" in response.json()["detail"]


def test_an_unknown_status_answers_422(api):
    ticket = TicketFactory()

    response = send(api, "post", f"/api/v1/support/tickets/{ticket.pk}/status", {"status": "done"})

    assert response.status_code == 422


def test_another_teams_ticket_answers_404():
    sales = UserFactory(role=Role.SALES, team=TeamFactory(name="Team A"))
    ticket = TicketFactory(team=TeamFactory(name="Team B"))
    client = api_client(sales)

    assert client.get(f"/api/v1/support/tickets/{ticket.pk}").status_code == 404
    response = send(client, "post", f"/api/v1/support/tickets/{ticket.pk}/messages", {"body": "Hi"})
    assert response.status_code == 404


def test_open_a_ticket_for_an_unseen_contact_is_refused(api):
    from tests.contacts.factories import ContactFactory

    stranger = ContactFactory(owner=UserFactory(team=TeamFactory(name="Team B")))

    response = send(
        api,
        "post",
        "/api/v1/support/tickets",
        {"contact_id": stranger.pk, "subject": "Hi", "body": "Hello"},
    )

    assert response.status_code == 422
    assert "contact_id" in response.json()["errors"]
    assert not Ticket.objects.exists()


def test_bad_input_names_the_fields(api, agent, customer):
    customer.owner, customer.team = agent, agent.team
    customer.save()

    response = send(
        api,
        "post",
        "/api/v1/support/tickets",
        {"contact_id": customer.pk, "subject": "", "body": "x", "priority": "asap"},
    )

    assert response.status_code == 422
    assert "subject" in response.json()["detail"]
    assert "priority" in response.json()["detail"]
    assert not Ticket.objects.exists()


def test_assign_to_someone_outside_your_team_is_refused():
    sales = UserFactory(role=Role.SALES, team=TeamFactory(name="Team A"))
    outsider = UserFactory(team=TeamFactory(name="Team B"))
    ticket = TicketFactory(assignee=sales)

    response = send(
        api_client(sales),
        "post",
        f"/api/v1/support/tickets/{ticket.pk}/assign",
        {"assignee_id": outsider.pk},
    )

    assert response.status_code == 422
    assert "assignee_id" in response.json()["errors"]


def test_unknown_query_parameters_are_refused(api):
    assert api.get("/api/v1/support/tickets", {"stauts": "open"}).status_code == 422


def test_without_a_token_answers_401(client):
    assert client.get("/api/v1/support/tickets").status_code == 401


def test_change_priority(api):
    ticket = TicketFactory()

    response = send(
        api, "post", f"/api/v1/support/tickets/{ticket.pk}/priority", {"priority": "urgent"}
    )
    bad = send(api, "post", f"/api/v1/support/tickets/{ticket.pk}/priority", {"priority": "asap"})

    assert response.status_code == 200
    assert response.json()["priority"] == "urgent"
    assert response.json()["resolution_due_at"] is not None
    assert bad.status_code == 422
