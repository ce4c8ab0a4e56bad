from email.message import EmailMessage

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hamkor.activities.models import Interaction
from hamkor.consent.models import ConsentRecord
from hamkor.contacts.models import Contact
from hamkor.messaging.models import InboundMessage
from hamkor.messaging.services.compose import send_composed
from hamkor.messaging.services.mailbox import poll_mailbox
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory
from tests.messaging.factories import consenting_contact

pytestmark = pytest.mark.django_db


def _mail(sender, subject, body, message_id, in_reply_to=""):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "shop@hamkor.test"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = "Mon, 10 Mar 2025 10:00:00 +0500"
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content(body)
    return bytes(message)


def test_poll_mailbox_puts_known_senders_mail_on_their_timeline(imap_server):
    contact = ContactFactory(email="aziza@example.com")
    imap_server.messages.append(
        _mail("Aziza <Aziza@Example.com>", "My order", "Where is my cake?", "<m1@example.com>")
    )

    new = poll_mailbox()

    assert new == 1
    interaction = Interaction.objects.get(contact=contact)
    assert interaction.channel == "email"
    assert interaction.direction == "in"
    assert interaction.subject == "My order"
    assert "Where is my cake?" in interaction.body
    assert imap_server.seen == {1}
    assert imap_server.logins == [("shop@hamkor.test", "secret")]


def test_poll_mailbox_twice_stores_mail_once(imap_server):
    ContactFactory(email="aziza@example.com")
    raw = _mail("aziza@example.com", "Hi", "Hello", "<m2@example.com>")
    imap_server.messages.append(raw)
    poll_mailbox()
    # The mailbox lost its \Seen flag (or we crashed before setting it).
    imap_server.seen.clear()

    second = poll_mailbox()

    assert second == 0
    assert Interaction.objects.count() == 1


def test_poll_mailbox_unknown_sender_becomes_lead(imap_server):
    imap_server.messages.append(
        _mail("Rustam Aliev <rustam@agency.kg>", "Website", "We need a site.", "<m3@agency.kg>")
    )

    poll_mailbox()

    lead = Contact.objects.get(emails__email="rustam@agency.kg")
    assert (lead.first_name, lead.last_name, lead.stage) == ("Rustam", "Aliev", "lead")
    assert lead.interactions.get().subject == "Website"


def test_reply_from_card_threads_and_customer_answer_threads_back(
    imap_server, smtp_server, django_capture_on_commit_callbacks
):
    user = UserFactory(role="manager")
    contact = ContactFactory(owner=user, email="aziza@example.com")
    imap_server.messages.append(
        _mail("aziza@example.com", "Cake order", "Can I order?", "<q1@example.com>")
    )
    poll_mailbox()

    with django_capture_on_commit_callbacks(execute=True):
        reply = send_composed(
            contact=contact,
            channel="email",
            kind="transactional",
            template="",
            subject="",
            body="Yes, of course.",
            actor=user,
            idempotency_key="reply-1",
        )
    sent = smtp_server.messages[0]
    imap_server.messages.append(
        _mail(
            "other@example.com",
            "Re: Cake order",
            "Thanks!",
            "<q2@example.com>",
            in_reply_to=sent["Message-ID"],
        )
    )
    poll_mailbox()

    assert sent["Subject"] == "Re: Cake order"
    assert sent["In-Reply-To"] == "<q1@example.com>"
    assert sent["References"] == "<q1@example.com>"
    answer = InboundMessage.objects.get(external_id="<q2@example.com>")
    # Matched through the thread, though it came from another address.
    assert answer.contact == contact
    assert answer.reply_to_outbound == reply


def test_customer_email_counts_as_consent_to_answer(imap_server):
    contact = ContactFactory(email="aziza@example.com")
    imap_server.messages.append(_mail("aziza@example.com", "Hi", "Hello", "<m5@example.com>"))

    poll_mailbox()

    record = ConsentRecord.objects.get(contact=contact, channel="email")
    assert (record.purpose, record.granted, record.method) == ("service", True, "message")


def test_poll_imap_command(imap_server, capsys):
    consenting_contact("email", email="aziza@example.com")
    imap_server.messages.append(_mail("aziza@example.com", "Hi", "Hello", "<m6@example.com>"))

    call_command("messaging", "poll-imap")

    assert "1 new email(s)." in capsys.readouterr().out


def test_poll_imap_command_when_switched_off(settings):
    settings.HAMKOR_IMAP_ENABLED = False

    with pytest.raises(CommandError, match="HAMKOR_IMAP_ENABLED"):
        call_command("messaging", "poll-imap")


def test_imap_enabled_without_settings_fails_loudly(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.HAMKOR_IMAP_ENABLED = True
    settings.HAMKOR_IMAP_HOST = ""

    with pytest.raises(ImproperlyConfigured, match="HAMKOR_IMAP_HOST"):
        poll_mailbox()
