"""Every sender obeys consent: bulk sends and automations need a marketing "yes", service
messages go unless withdrawn, login codes always go, STOP and the portal are recorded."""

import pytest
from django.core import mail
from django.urls import reverse

from hamkor.consent.models import ConsentRecord
from hamkor.consent.selectors import get_consent
from hamkor.marketing.services import SegmentInput, create_segment, create_send, run_send
from hamkor.messaging.models import OutboundMessage, Status
from hamkor.messaging.services import deliver_message, queue_message
from hamkor.messaging.services.inbound import receive_sms
from hamkor.portal.services import parse_login_address, request_login_code
from hamkor.support.services import add_staff_message
from tests.accounts.factories import UserFactory
from tests.consent.factories import give, withdraw
from tests.contacts.factories import ContactFactory, TagFactory
from tests.marketing.factories import ManagerFactory
from tests.portal.factories import CustomerFactory
from tests.portal.helpers import portal_log_in, profile_form
from tests.support.factories import open_ticket

pytestmark = pytest.mark.django_db

PHONE = "+998901234567"


def _queue(contact, *, kind, channel="email", key="order-1"):
    return queue_message(
        channel=channel,
        subject="Your order",
        body="Your cake is ready.",
        contact=contact,
        kind=kind,
        idempotency_key=key,
    )


def test_bulk_send_skips_a_contact_whose_latest_marketing_record_is_withdrawn():
    manager = ManagerFactory()
    tag = TagFactory(name="newsletter")
    keen = ContactFactory(email="keen@example.com")
    gone = ContactFactory(email="gone@example.com")
    for contact in (keen, gone):
        contact.tags.add(tag)
    give(keen, "email", days_ago=30)
    give(gone, "email", days_ago=30)
    withdraw(gone, "email", days_ago=3)
    segment = create_segment(
        actor=manager,
        values=SegmentInput(
            name="News", rules={"rules": [{"field": "tag", "value": ["newsletter"]}]}
        ),
    )

    send = create_send(segment=segment, channel="email", subject="Hi", body="News", actor=manager)
    run_send(send_id=send.pk)

    assert send.total == 1
    recipients = OutboundMessage.objects.filter(idempotency_key__startswith=send.key_prefix)
    assert [m.contact for m in recipients] == [keen]


def test_service_message_is_sent_when_marketing_was_withdrawn(django_capture_on_commit_callbacks):
    contact = ContactFactory(email="aziza@example.com")
    withdraw(contact, "email")

    with django_capture_on_commit_callbacks(execute=True):
        message = _queue(contact, kind="transactional")

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert len(mail.outbox) == 1


def test_service_message_is_sent_with_nothing_on_record():
    contact = ContactFactory(email="aziza@example.com")

    message = _queue(contact, kind="transactional")

    assert message.status == Status.QUEUED


def test_withdrawn_service_consent_blocks_service_messages_with_the_reason():
    contact = ContactFactory(email="aziza@example.com")
    give(contact, "email")
    withdraw(contact, "email", purpose="service")

    message = _queue(contact, kind="transactional")

    assert message.status == Status.BLOCKED
    assert "withdrew consent to service messages by Email" in message.error


def test_service_consent_withdrawn_while_waiting_blocks_at_send(
    django_capture_on_commit_callbacks,
):
    contact = ContactFactory(email="aziza@example.com")
    with django_capture_on_commit_callbacks(execute=False):
        message = _queue(contact, kind="transactional")
    withdraw(contact, "email", purpose="service")

    status = deliver_message(message_id=message.pk)

    assert status == Status.BLOCKED
    assert mail.outbox == []


def test_automated_greeting_needs_marketing_consent():
    contact = ContactFactory(email="aziza@example.com")
    give(contact, "email", purpose="service")

    message = _queue(contact, kind="automated", key="birthday-1")

    assert message.status == Status.BLOCKED
    assert "No consent to messages by Email" in message.error


def test_marketing_message_blocked_after_withdrawal_even_with_service_consent():
    contact = ContactFactory(email="aziza@example.com")
    give(contact, "email", days_ago=10)
    withdraw(contact, "email", days_ago=1)

    message = _queue(contact, kind="marketing", key="promo-1")

    assert message.status == Status.BLOCKED
    assert "withdrew consent to messages by Email" in message.error


def test_login_code_is_sent_even_after_service_messages_were_withdrawn():
    customer = CustomerFactory(phone=PHONE)
    withdraw(customer, "sms", purpose="service")
    withdraw(customer, "sms")

    request_login_code(address=parse_login_address(PHONE), client_ip=None)

    message = OutboundMessage.objects.get(to_address=PHONE)
    assert message.status == Status.QUEUED


def test_stop_reply_is_recorded_as_a_withdrawal_by_message():
    contact = ContactFactory(phone=PHONE)
    give(contact, "sms", days_ago=30)

    receive_sms(from_phone=PHONE, text="STOP", external_id="sms-stop-1")

    latest = ConsentRecord.objects.filter(contact=contact, purpose="marketing").first()
    assert latest is not None
    assert (latest.channel, latest.granted, latest.method) == ("sms", False, "message")
    assert ConsentRecord.objects.filter(contact=contact, purpose="marketing").count() == 2


def test_writing_to_us_first_is_service_consent_not_marketing():
    contact = ContactFactory(phone=PHONE)

    receive_sms(from_phone=PHONE, text="When do you open?", external_id="sms-2")

    assert get_consent(contact=contact, purpose="service", channel="sms").granted is True
    assert get_consent(contact=contact, purpose="marketing", channel="sms").granted is None


def test_writing_to_us_does_not_undo_a_service_withdrawal():
    contact = ContactFactory(phone=PHONE)
    withdraw(contact, "sms", purpose="service")

    receive_sms(from_phone=PHONE, text="Hello again", external_id="sms-3")

    assert get_consent(contact=contact, purpose="service", channel="sms").withdrawn


def test_portal_change_is_recorded_with_method_portal_and_the_text_shown(client):
    customer = CustomerFactory(email="aziza@example.com", phone=PHONE)
    portal_log_in(client, customer)
    response = client.post(
        reverse("portal:profile"), profile_form(phone=PHONE, consent_telegram="on")
    )

    assert response.status_code == 302
    record = ConsentRecord.objects.get(contact=customer)
    assert (record.channel, record.granted, record.method) == ("telegram", True, "portal")
    assert record.text_shown == "Messages by Telegram"
    assert record.recorded_by is None


def _portal_service_boxes(client, customer, **boxes):
    """Save the customer's portal profile with these service boxes ticked, the rest not."""
    portal_log_in(client, customer)
    form = profile_form(phone=PHONE, last_name=customer.last_name, service_shown="True", **boxes)
    response = client.post(reverse("portal:profile"), form)
    assert response.status_code == 302


def _reply_notice(customer, ticket):
    add_staff_message(ticket=ticket, body="It arrives at 15:00.", actor=UserFactory(role="support"))
    return OutboundMessage.objects.filter(contact=customer, kind="transactional").latest("id")


def test_ticket_reply_is_not_sent_after_service_messages_were_stopped_in_the_portal(
    client, django_capture_on_commit_callbacks
):
    customer = CustomerFactory(email="aziza@example.com", phone=PHONE)
    ticket = open_ticket(customer)
    _portal_service_boxes(client, customer, service_sms="on", service_telegram="on")

    with django_capture_on_commit_callbacks(execute=True):
        notice = _reply_notice(customer, ticket)

    notice.refresh_from_db()
    assert (notice.channel, notice.status) == ("email", Status.BLOCKED)
    assert "withdrew consent to service messages by Email" in notice.error
    assert mail.outbox == []
    record = ConsentRecord.objects.get(contact=customer, purpose="service")
    assert (record.channel, record.granted, record.source) == ("email", False, "portal")


def test_ticket_reply_is_sent_again_once_service_messages_are_allowed_in_the_portal(
    client, django_capture_on_commit_callbacks
):
    customer = CustomerFactory(email="aziza@example.com", phone=PHONE)
    ticket = open_ticket(customer)
    _portal_service_boxes(client, customer, service_sms="on", service_telegram="on")
    _portal_service_boxes(
        client, customer, service_email="on", service_sms="on", service_telegram="on"
    )

    with django_capture_on_commit_callbacks(execute=True):
        notice = _reply_notice(customer, ticket)

    notice.refresh_from_db()
    assert notice.status == Status.SENT
    assert [m.to for m in mail.outbox] == [["aziza@example.com"]]
    assert "It arrives at 15:00." in mail.outbox[0].body
    history = ConsentRecord.objects.filter(contact=customer, purpose="service").order_by("id")
    assert [(r.channel, r.granted) for r in history] == [("email", False), ("email", True)]
