"""Opening tickets, the thread, status changes (with their audit event) and assignment."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hamkor.activities.models import Notification
from hamkor.core.models import AuditEvent
from hamkor.support.calendar import due_after
from hamkor.support.errors import TicketStateError
from hamkor.support.models import Priority, TicketChannel, TicketStatus, TicketType
from hamkor.support.services import (
    add_customer_reply,
    add_staff_message,
    assign_ticket,
    change_status,
)
from hamkor.support.services.sla import DEFAULT_TARGETS
from tests.accounts.factories import UserFactory
from tests.support.factories import open_ticket

pytestmark = pytest.mark.django_db


def test_create_ticket_stores_the_first_message_and_due_times(customer):
    before = timezone.now()

    ticket = open_ticket(customer, type=TicketType.COMPLAINT, priority=Priority.URGENT)

    assert ticket.status == TicketStatus.NEW
    assert ticket.channel == TicketChannel.PORTAL
    message = ticket.messages.get()
    assert message.author_contact == customer
    assert message.internal is False
    first, _resolution = DEFAULT_TARGETS[Priority.URGENT]
    assert due_after(before, first) <= ticket.first_response_due_at
    assert ticket.first_response_due_at <= due_after(timezone.now(), first)
    assert ticket.resolution_due_at > ticket.first_response_due_at
    assert AuditEvent.objects.filter(verb="ticket.created", target_id=str(ticket.pk)).exists()


def test_create_ticket_refuses_bad_input_and_saves_nothing(customer):
    with pytest.raises(ValidationError) as error:
        open_ticket(customer, subject=" ", body="", type="rant")

    assert set(error.value.message_dict) == {"subject", "body", "type"}
    assert not customer.tickets.exists()


def test_create_ticket_refuses_a_disallowed_attachment(customer):
    upload = SimpleUploadedFile("virus.exe", b"MZ...", content_type="application/pdf")

    with pytest.raises(ValidationError) as error:
        open_ticket(customer, uploads=[upload])

    assert "file" in error.value.message_dict
    assert not customer.tickets.exists()


def test_create_ticket_keeps_an_allowed_attachment(customer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt")

    ticket = open_ticket(customer, uploads=[upload])

    attachment = ticket.messages.get().attachments.get()
    assert attachment.name == "receipt.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(b"%PDF-1.4 receipt")


def test_change_status_records_from_and_to(customer, agent):
    ticket = open_ticket(customer)

    change_status(ticket=ticket, status=TicketStatus.OPEN, actor=agent)

    event = AuditEvent.objects.get(verb="ticket.status_changed")
    assert event.target_type == "support.ticket"
    assert event.target_id == str(ticket.pk)
    assert event.data == {"from": "new", "to": "open"}
    assert event.actor == agent


def test_change_status_refuses_a_move_that_is_not_allowed(customer, agent):
    ticket = open_ticket(customer)
    change_status(ticket=ticket, status=TicketStatus.CLOSED, actor=agent)

    with pytest.raises(TicketStateError, match="cannot become"):
        change_status(ticket=ticket, status=TicketStatus.OPEN, actor=agent)

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED


def test_change_status_to_the_same_status_is_refused(customer, agent):
    ticket = open_ticket(customer)

    with pytest.raises(TicketStateError, match="already"):
        change_status(ticket=ticket, status=TicketStatus.NEW, actor=agent)


def test_resolving_and_reopening_keep_the_timestamps(customer, agent):
    ticket = open_ticket(customer)

    change_status(ticket=ticket, status=TicketStatus.RESOLVED, actor=agent)
    ticket.refresh_from_db()
    assert ticket.resolved_at is not None

    change_status(ticket=ticket, status=TicketStatus.OPEN, actor=agent)
    ticket.refresh_from_db()
    assert ticket.resolved_at is None

    change_status(ticket=ticket, status=TicketStatus.CLOSED, actor=agent)
    ticket.refresh_from_db()
    assert ticket.closed_at is not None


def test_first_public_reply_stops_the_first_response_clock(customer, agent):
    ticket = open_ticket(customer)

    add_staff_message(ticket=ticket, body="Checking with the courier.", actor=agent, internal=True)
    ticket.refresh_from_db()
    assert ticket.first_response_at is None

    reply = add_staff_message(ticket=ticket, body="It arrives at 15:00.", actor=agent)
    ticket.refresh_from_db()
    assert ticket.first_response_at == reply.created_at


def test_staff_message_needs_text(customer, agent):
    ticket = open_ticket(customer)

    with pytest.raises(ValidationError) as error:
        add_staff_message(ticket=ticket, body="   ", actor=agent)

    assert "body" in error.value.message_dict
    assert ticket.messages.count() == 1


def test_customer_reply_reopens_a_resolved_ticket(customer, agent):
    ticket = open_ticket(customer)
    change_status(ticket=ticket, status=TicketStatus.RESOLVED, actor=agent)

    add_customer_reply(ticket=ticket, contact=customer, body="It still has not come.")

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN
    assert AuditEvent.objects.filter(
        verb="ticket.status_changed", data={"from": "resolved", "to": "open"}
    ).exists()


def test_customer_reply_reopens_a_waiting_ticket(customer, agent):
    ticket = open_ticket(customer)
    change_status(ticket=ticket, status=TicketStatus.WAITING, actor=agent)

    add_customer_reply(ticket=ticket, contact=customer, body="Order 1042.")

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN
    assert ticket.paused_at is None


def test_customer_reply_on_a_closed_ticket_is_refused(customer, agent):
    ticket = open_ticket(customer)
    change_status(ticket=ticket, status=TicketStatus.CLOSED, actor=agent)

    with pytest.raises(TicketStateError, match="open a new one"):
        add_customer_reply(ticket=ticket, contact=customer, body="Hello?")

    assert ticket.messages.count() == 1


def test_customer_reply_rings_the_assignees_bell(customer, agent):
    ticket = open_ticket(customer, assignee=agent)

    add_customer_reply(ticket=ticket, contact=customer, body="Any news?")

    notice = Notification.objects.get(user=agent, kind="ticket_reply")
    assert notice.title == f"The customer replied on #{ticket.pk}"


def test_assign_ticket_takes_the_assignees_team_and_opens_a_new_ticket(customer, agent):
    ticket = open_ticket(customer)
    manager = UserFactory(role="manager")

    assign_ticket(ticket=ticket, assignee=agent, actor=manager)

    ticket.refresh_from_db()
    assert ticket.assignee == agent
    assert ticket.team == agent.team
    assert ticket.status == TicketStatus.OPEN
    assert Notification.objects.filter(user=agent, kind="ticket_assigned").exists()


def test_assign_ticket_refuses_an_inactive_user(customer, agent):
    ticket = open_ticket(customer)
    gone = UserFactory(is_active=False)

    with pytest.raises(ValidationError):
        assign_ticket(ticket=ticket, assignee=gone, actor=agent)

    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_waiting_pauses_the_resolution_clock_and_resuming_moves_it_on(customer, agent):
    from hamkor.support.models import Ticket, WorkingCalendar

    # Around the clock, so the paused time is plain wall time.
    WorkingCalendar.objects.create(
        time_zone="UTC", hours={str(day): ["00:00", "23:59:59"] for day in range(7)}
    )
    ticket = open_ticket(customer)
    change_status(ticket=ticket, status=TicketStatus.WAITING, actor=agent)
    paused = timezone.now() - datetime.timedelta(hours=2)
    Ticket.objects.filter(pk=ticket.pk).update(
        paused_at=paused, resolution_due_at=paused + datetime.timedelta(minutes=60)
    )

    change_status(ticket=ticket, status=TicketStatus.OPEN, actor=agent)

    ticket.refresh_from_db()
    assert ticket.paused_at is None
    expected = timezone.now() + datetime.timedelta(minutes=60)
    assert abs(ticket.resolution_due_at - expected) < datetime.timedelta(minutes=3)
