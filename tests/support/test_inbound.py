"""A customer's Telegram or email message becomes a ticket, and the answer goes back there."""

import pytest

from hamkor.messaging.models import OutboundMessage
from hamkor.messaging.services.inbound import receive_email
from hamkor.messaging.services.telegram import handle_update
from hamkor.support.models import Ticket, TicketStatus
from hamkor.support.services import add_staff_message, change_status
from hamkor.support.services.inbound import ticket_from_inbound
from tests.messaging.factories import PrefsFactory, consenting_contact

pytestmark = pytest.mark.django_db


def telegram_update(number: int, chat: int, text: str) -> dict:
    return {
        "update_id": number,
        "message": {
            "message_id": number,
            "date": 1767000000 + number,
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "first_name": "Aziza"},
            "text": text,
        },
    }


@pytest.fixture
def aziza():
    contact = consenting_contact("telegram", first_name="Aziza", language="en")
    PrefsFactory(contact=contact, telegram_chat_id="4242")
    return contact


def test_a_telegram_message_opens_a_ticket_and_the_reply_goes_back_by_telegram(
    committed, aziza, agent
):
    with committed():
        handle_update(telegram_update(1, 4242, "My order did not arrive"))

    ticket = Ticket.objects.get()
    assert (ticket.contact, ticket.channel, ticket.subject) == (
        aziza,
        "telegram",
        "My order did not arrive",
    )
    assert ticket.messages.get().inbound is not None

    add_staff_message(ticket=ticket, body="It arrives at 15:00.", actor=agent)

    reply = OutboundMessage.objects.get(contact=aziza)
    assert (reply.channel, reply.to_address) == ("telegram", "4242")


def test_a_second_message_is_added_to_the_open_ticket(committed, aziza, agent):
    with committed():
        handle_update(telegram_update(1, 4242, "My order did not arrive"))
    ticket = Ticket.objects.get()
    change_status(ticket=ticket, status=TicketStatus.WAITING, actor=agent)

    with committed():
        handle_update(telegram_update(2, 4242, "Order number 1042"))

    ticket.refresh_from_db()
    assert Ticket.objects.count() == 1
    assert ticket.status == TicketStatus.OPEN
    assert [m.body for m in ticket.messages.all()] == [
        "My order did not arrive",
        "Order number 1042",
    ]


def test_a_message_after_closing_opens_a_new_ticket(committed, aziza, agent):
    with committed():
        handle_update(telegram_update(1, 4242, "Hello"))
    change_status(ticket=Ticket.objects.get(), status=TicketStatus.CLOSED, actor=agent)

    with committed():
        handle_update(telegram_update(2, 4242, "Another question"))

    assert Ticket.objects.count() == 2


def test_the_same_message_is_put_on_a_ticket_once(committed, aziza):
    with committed():
        handle_update(telegram_update(1, 4242, "Hello"))
    inbound_id = Ticket.objects.get().messages.get().inbound_id

    assert ticket_from_inbound(inbound_id=inbound_id) is None
    assert Ticket.objects.get().messages.count() == 1


def test_an_email_uses_its_subject(committed):
    contact = consenting_contact("email", email="olim@example.com")

    with committed():
        receive_email(
            message_id="<m1@example.com>",
            from_address="olim@example.com",
            from_name="Olim",
            subject="Invoice copy please",
            body="Could you send the March invoice again?",
        )

    ticket = Ticket.objects.get()
    assert (ticket.contact, ticket.channel, ticket.subject) == (
        contact,
        "email",
        "Invoice copy please",
    )


def test_switched_off_by_setting(committed, aziza, settings):
    settings.HAMKOR_SUPPORT_TICKETS_FROM_MESSAGES = False

    with committed():
        handle_update(telegram_update(1, 4242, "Hello"))

    assert not Ticket.objects.exists()


def test_an_email_answering_a_ticket_reply_lands_on_that_ticket(committed, customer, agent):
    from hamkor.support.services import create_ticket

    ticket = create_ticket(contact=customer, subject="Cake size", body="How big?", actor=None)
    add_staff_message(ticket=ticket, body="Up to 5 kg.", actor=agent)
    ours = OutboundMessage.objects.get(contact=customer)

    with committed():
        receive_email(
            message_id="<answer@example.com>",
            from_address="aziza@example.com",
            from_name="Aziza",
            subject=f"Re: {ours.subject}",
            body="Then 3 kg, please.",
            in_reply_to=ours.email_message_id,
        )

    assert Ticket.objects.count() == 1
    assert ticket.messages.last().body == "Then 3 kg, please."
