"""Who sees which tickets, filters and search."""

import pytest

from hamkor.accounts.models import Role
from hamkor.support.models import Priority, TicketStatus
from hamkor.support.selectors.tickets import (
    TicketFilters,
    get_customer_attachment,
    get_customer_ticket,
    get_ticket,
    list_tickets,
)
from tests.accounts.factories import TeamFactory, UserFactory
from tests.contacts.factories import ContactFactory
from tests.support.factories import TicketFactory, TicketMessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sales():
    return UserFactory(role=Role.SALES, team=TeamFactory(name="Team A"))


def test_sales_staff_see_their_own_and_their_teams_tickets(sales):
    mine = TicketFactory(assignee=sales)
    teams = TicketFactory(team=sales.team)
    TicketFactory(team=TeamFactory(name="Team B"))
    TicketFactory()

    assert set(list_tickets(viewer=sales)) == {mine, teams}


def test_support_staff_managers_and_admins_see_every_ticket():
    tickets = {TicketFactory(), TicketFactory(team=TeamFactory(name="Team B"))}

    for role in (Role.SUPPORT, Role.MANAGER, Role.ADMIN):
        viewer = UserFactory(role=role, team=TeamFactory(name="Other"))
        assert set(list_tickets(viewer=viewer)) == tickets


def test_get_ticket_of_another_team_does_not_exist(sales):
    other = TicketFactory(team=TeamFactory(name="Team B"))

    with pytest.raises(other.DoesNotExist):
        get_ticket(viewer=sales, pk=other.pk)


def test_filters_by_status_priority_and_assignee(agent):
    wanted = TicketFactory(status=TicketStatus.OPEN, priority=Priority.URGENT, assignee=agent)
    TicketFactory(status=TicketStatus.OPEN, priority=Priority.LOW, assignee=agent)
    TicketFactory(status=TicketStatus.NEW, priority=Priority.URGENT)

    filters = TicketFilters(status="open", priority="urgent", assignee_id=agent.pk)

    assert list(list_tickets(viewer=agent, filters=filters)) == [wanted]


def test_search_by_number_subject_and_customer(agent):
    by_subject = TicketFactory(subject="Cake was squashed")
    by_customer = TicketFactory(contact=ContactFactory(first_name="Zulfiya", phone="+998901112233"))

    def found(q):
        return list(list_tickets(viewer=agent, filters=TicketFilters(q=q)))

    assert found("squashed") == [by_subject]
    assert found("zulfiya") == [by_customer]
    assert found("1112233") == [by_customer]
    assert found(f"#{by_subject.pk}") == [by_subject]


def test_customer_sees_only_public_messages_of_own_ticket():
    ticket = TicketFactory()
    public = TicketMessageFactory(ticket=ticket, body="We are on it.")
    TicketMessageFactory(ticket=ticket, body="Courier lost it.", internal=True)

    found = get_customer_ticket(contact=ticket.contact, ticket_uuid=ticket.uuid)

    assert list(found.messages.all()) == [public]
    with pytest.raises(ticket.DoesNotExist):
        get_customer_ticket(contact=ContactFactory(), ticket_uuid=ticket.uuid)


def test_customer_cannot_reach_an_attachment_of_an_internal_note(settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hamkor.support.services.attachments import add_attachments

    settings.MEDIA_ROOT = tmp_path
    note = TicketMessageFactory(internal=True)
    [attachment] = add_attachments(
        message=note, uploads=[SimpleUploadedFile("notes.txt", b"internal")]
    )

    with pytest.raises(attachment.DoesNotExist):
        get_customer_attachment(contact=note.ticket.contact, attachment_uuid=attachment.uuid)
