"""What the customer hears: every status change and public reply, on their channel, once."""

import pytest
from django.utils import translation

from hamkor.contacts.services import record_consent
from hamkor.core.models import AuditEvent
from hamkor.messaging.models import ContactMessagingPrefs, OutboundMessage, Status
from hamkor.support.models import TicketChannel, TicketStatus, TicketType
from hamkor.support.services import (
    add_staff_message,
    assign_ticket,
    change_status,
)
from hamkor.support.services.notify import notify_status_changed
from tests.contacts.factories import ContactFactory
from tests.messaging.factories import ConsentFactory
from tests.support.factories import open_ticket

pytestmark = pytest.mark.django_db


def outbox(contact):
    return list(OutboundMessage.objects.filter(contact=contact).order_by("id"))


def test_opening_a_ticket_sends_nothing(customer):
    open_ticket(customer)

    assert outbox(customer) == []


def test_assigning_a_new_complaint_tells_the_customer_who_handles_it(customer, agent):
    ticket = open_ticket(customer, type=TicketType.COMPLAINT)

    assign_ticket(ticket=ticket, assignee=agent, actor=agent)

    [message] = outbox(customer)
    assert message.channel == "email"
    assert message.to_address == "aziza@example.com"
    assert message.kind == "transactional"
    assert message.status != Status.BLOCKED
    assert f"Your complaint #{ticket.pk} is now being handled by Malika." in message.body
    assert f"/portal/support/requests/{ticket.uuid}/" in message.body


def test_every_status_change_reaches_the_customer(customer, agent):
    ticket = open_ticket(customer)

    change_status(ticket=ticket, status=TicketStatus.OPEN, actor=agent)
    change_status(ticket=ticket, status=TicketStatus.WAITING, actor=agent)
    change_status(ticket=ticket, status=TicketStatus.CLOSED, actor=agent)

    bodies = [message.body for message in outbox(customer)]
    assert len(bodies) == 3
    assert "is now being handled." in bodies[0]
    assert "We need a little more information" in bodies[1]
    assert "has been closed." in bodies[2]


def test_a_public_reply_is_sent_and_a_note_is_not(customer, agent):
    ticket = open_ticket(customer)

    add_staff_message(ticket=ticket, body="Secret: courier is late.", actor=agent, internal=True)
    add_staff_message(ticket=ticket, body="It arrives at 15:00.", actor=agent)

    [message] = outbox(customer)
    assert "It arrives at 15:00." in message.body
    assert "Secret" not in message.body
    assert message.subject == f"Reply to your question #{ticket.pk}"


def test_messages_are_in_the_customers_language(agent):
    contact = ContactFactory(email="olga@example.com", language="ru")
    ConsentFactory(contact=contact, channel="email")
    ticket = open_ticket(contact)

    with translation.override("ru"):
        expected = translation.gettext("Your %(kind)s #%(number)s has been resolved.")
    change_status(ticket=ticket, status=TicketStatus.RESOLVED, actor=agent)

    status_message = outbox(contact)[0]
    with translation.override("ru"):
        kind = translation.pgettext("ticket type in a sentence", "question")
    assert expected % {"kind": kind, "number": ticket.pk} in status_message.body
    # The staff member's own language is untouched.
    assert translation.get_language() == "en"


def test_the_ticket_channel_is_used_when_the_customer_has_an_address_there(customer, agent):
    ContactMessagingPrefs.objects.create(contact=customer, telegram_chat_id="555")
    ConsentFactory(contact=customer, channel="telegram")
    ticket = open_ticket(customer, channel=TicketChannel.TELEGRAM)

    add_staff_message(ticket=ticket, body="Hello from Hamkor.", actor=agent)

    [message] = outbox(customer)
    assert message.channel == "telegram"
    assert message.to_address == "555"


def test_email_is_the_fallback_when_the_ticket_channel_has_no_address(customer, agent):
    ticket = open_ticket(customer, channel=TicketChannel.SMS)

    add_staff_message(ticket=ticket, body="Hello.", actor=agent)

    [message] = outbox(customer)
    assert message.channel == "email"


def test_a_retried_status_notification_is_not_sent_twice(customer, agent):
    ticket = open_ticket(customer)
    change_status(ticket=ticket, status=TicketStatus.OPEN, actor=agent)
    event_id = AuditEvent.objects.get(verb="ticket.status_changed").pk

    notify_status_changed(ticket, status=TicketStatus.OPEN, event_id=event_id)

    assert len(outbox(customer)) == 1


def test_a_reply_reaches_a_customer_who_gave_no_marketing_consent(agent):
    # Answers to a customer's own ticket are service messages: no opt-in is needed.
    contact = ContactFactory(email="asked@example.com", language="en")
    ticket = open_ticket(contact)

    add_staff_message(ticket=ticket, body="Hello.", actor=agent)

    [message] = outbox(contact)
    assert message.status != Status.BLOCKED


def test_after_withdrawing_service_messages_the_reply_is_kept_blocked_with_the_reason(agent):
    contact = ContactFactory(email="nobody@example.com", language="en")
    record_consent(
        contact=contact,
        channel="email",
        granted=False,
        method="phone",
        actor=None,
        purpose="service",
    )
    ticket = open_ticket(contact)

    add_staff_message(ticket=ticket, body="Hello.", actor=agent)

    [message] = outbox(contact)
    assert message.status == Status.BLOCKED
    assert "consent" in message.error
