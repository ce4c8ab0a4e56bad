import datetime
import threading
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from hamkor.contacts.services import record_consent
from hamkor.core.timeline import build_timeline
from hamkor.messaging.models import OutboundMessage, Status
from hamkor.messaging.services import (
    backoff_seconds,
    claim_message,
    deliver_message,
    next_allowed_time,
    queue_message,
    recover_stale_messages,
    retry_message,
)
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory
from tests.messaging.factories import PrefsFactory, consenting_contact

TASHKENT = zoneinfo.ZoneInfo("Asia/Tashkent")


def _queue(contact=None, **kwargs):
    values = {
        "channel": "email",
        "subject": "Your order",
        "body": "Your cake is ready.",
        "contact": contact,
        "kind": "transactional",
        "idempotency_key": "order-1-ready",
    }
    values.update(kwargs)
    return queue_message(**values)


def test_queue_message_sends_email_after_commit(db, django_capture_on_commit_callbacks):
    contact = consenting_contact("email", email="aziza@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        message = _queue(contact)

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["aziza@example.com"]
    assert mail.outbox[0].extra_headers["Message-ID"] == message.email_message_id


def test_queue_message_same_key_returns_existing_and_sends_once(
    db, django_capture_on_commit_callbacks
):
    contact = consenting_contact("email", email="aziza@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        first = _queue(contact)
        second = _queue(contact, body="A different text")

    assert first.pk == second.pk
    assert OutboundMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_queue_marketing_message_without_consent_is_blocked_with_reason_on_timeline(
    db, django_capture_on_commit_callbacks
):
    contact = ContactFactory(email="aziza@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        message = _queue(contact, kind="marketing")

    assert message.status == Status.BLOCKED
    assert "No consent" in message.error
    assert mail.outbox == []
    entry = build_timeline(viewer=UserFactory(), contact_ids=[contact.pk])[0]
    assert entry.kind == "message"
    assert "No consent to messages by Email" in entry.outcome


def test_queue_message_after_withdrawn_consent_says_when(db, django_capture_on_commit_callbacks):
    contact = ContactFactory(phone="+998901234567")
    record_consent(contact=contact, channel="sms", granted=False, method="phone", actor=None)

    with django_capture_on_commit_callbacks(execute=True):
        message = _queue(contact, channel="sms", kind="marketing")

    assert message.status == Status.BLOCKED
    assert "withdrew consent to messages by SMS" in message.error


def test_queue_message_consent_withdrawn_while_waiting_blocks_at_send(
    db, django_capture_on_commit_callbacks
):
    contact = consenting_contact("email", email="aziza@example.com")
    with django_capture_on_commit_callbacks(execute=False):
        message = _queue(contact)
    record_consent(
        contact=contact,
        channel="email",
        granted=False,
        method="phone",
        actor=None,
        purpose="service",
    )

    status = deliver_message(message_id=message.pk)

    assert status == Status.BLOCKED
    assert mail.outbox == []


def test_queue_message_contact_without_address_is_blocked(db):
    contact = consenting_contact("sms")

    message = _queue(contact, channel="sms")

    assert message.status == Status.BLOCKED
    assert "has no address for SMS" in message.error


def _window_excluding_now(contact_tz):
    local = timezone.now().astimezone(contact_tz).replace(second=0, microsecond=0)
    start = (local + datetime.timedelta(hours=2)).time()
    end = (local + datetime.timedelta(hours=3)).time()
    return start, end


def test_marketing_outside_allowed_hours_waits_for_contact_window(
    db, django_capture_on_commit_callbacks
):
    contact = consenting_contact("email", email="a@example.com", time_zone="America/New_York")
    zone = zoneinfo.ZoneInfo("America/New_York")
    start, end = _window_excluding_now(zone)
    PrefsFactory(contact=contact, allowed_from=start, allowed_until=end)

    with django_capture_on_commit_callbacks(execute=True):
        message = _queue(contact, kind="marketing")

    message.refresh_from_db()
    assert message.status == Status.WAITING
    assert message.send_after.astimezone(zone).time() == start
    wait = message.send_after - timezone.now()
    assert datetime.timedelta(hours=1, minutes=58) < wait <= datetime.timedelta(hours=2)
    assert mail.outbox == []
    assert (
        "Waiting for the allowed hours"
        in build_timeline(viewer=UserFactory(), contact_ids=[contact.pk])[0].outcome
    )


def test_automated_uses_organisation_hours_and_transactional_ignores_them(
    db, settings, django_capture_on_commit_callbacks
):
    start, end = _window_excluding_now(TASHKENT)
    settings.HAMKOR_QUIET_HOURS = f"{start:%H:%M}-{end:%H:%M}"
    contact = consenting_contact("email", email="a@example.com", time_zone="Asia/Tashkent")

    with django_capture_on_commit_callbacks(execute=True):
        automated = _queue(contact, kind="automated", idempotency_key="birthday-1")
        transactional = _queue(contact, kind="transactional", idempotency_key="order-9")

    automated.refresh_from_db()
    transactional.refresh_from_db()
    assert automated.status == Status.WAITING
    assert transactional.status == Status.SENT
    assert len(mail.outbox) == 1


def test_waiting_message_is_sent_once_its_window_opens(db, django_capture_on_commit_callbacks):
    contact = consenting_contact("email", email="a@example.com")
    start, end = _window_excluding_now(TASHKENT)
    prefs = PrefsFactory(contact=contact, allowed_from=start, allowed_until=end)
    message = _queue(contact, kind="marketing")
    # The window opens: the contact now allows any hour, and the time has come.
    prefs.allowed_from = prefs.allowed_until = datetime.time(0, 0)
    prefs.save()
    OutboundMessage.objects.filter(pk=message.pk).update(send_after=timezone.now())

    status = deliver_message(message_id=message.pk)

    assert status == Status.SENT
    assert len(mail.outbox) == 1


def test_staff_message_to_address_needs_no_contact_or_consent(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue(
            None, to_address="Jasur@Shop.uz", kind="staff", idempotency_key="reminder-5"
        )

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert mail.outbox[0].to == ["jasur@shop.uz"]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"channel": "fax"}, "channel"),
        ({"kind": "spam"}, "kind"),
        ({"body": "  "}, "body"),
        ({"idempotency_key": ""}, "idempotency_key"),
        ({"contact": None, "to_address": "not-an-email"}, "to_address"),
        ({"contact": None, "to_address": ""}, "to_address"),
    ],
)
def test_queue_message_bad_input_names_the_field(db, values, field):
    values.setdefault("contact", consenting_contact("email", email="a@example.com"))

    with pytest.raises(ValidationError) as error:
        _queue(**values)

    assert field in error.value.message_dict


def test_claim_message_only_once(db):
    contact = consenting_contact("email", email="a@example.com")
    message = _queue(contact)

    assert claim_message(message_id=message.pk, worker="a") is True
    assert claim_message(message_id=message.pk, worker="b") is False
    message.refresh_from_db()
    assert message.claimed_by == "a"
    assert message.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_many_workers_racing_send_one_email(smtp_server):
    if connection.vendor == "sqlite":
        # The in-memory test database locks whole tables and answers "table is locked"
        # at once instead of waiting, so racing workers die instead of finding it taken.
        pytest.skip("concurrent claims are tested on PostgreSQL here (SQLite locks tables)")
    contact = consenting_contact("email", email="a@example.com")
    # Queued outside a test transaction: the on-commit send already ran once here.
    message = _queue(contact)
    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.QUEUED)
    smtp_server.messages.clear()
    barrier = threading.Barrier(6)
    results = []

    def worker(name):
        barrier.wait()
        try:
            results.append(deliver_message(message_id=message.pk, worker=name))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    message.refresh_from_db()
    assert len(results) == 6  # every worker came back; none died on the race
    assert len(smtp_server.messages) == 1
    assert message.status == Status.SENT
    # One claim from the first send, one from the race: the other five found it taken.
    assert message.attempts == 2


def test_smtp_temporary_error_retries_with_backoff(
    db, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.HAMKOR_MESSAGING_RETRY_SECONDS = 30
    smtp_server.reply = "451 Try again later"
    contact = consenting_contact("email", email="a@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        message = _queue(contact)

    message.refresh_from_db()
    assert message.status == Status.QUEUED
    assert message.attempts == 1
    assert "451" in message.error
    assert 25 < (message.send_after - timezone.now()).total_seconds() <= 30
    assert [backoff_seconds(n) for n in (1, 2, 3, 20)] == [30, 60, 120, 3600]


def test_smtp_error_after_last_attempt_fails(
    db, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.HAMKOR_MESSAGING_MAX_ATTEMPTS = 1
    smtp_server.reply = "451 Try again later"
    contact = consenting_contact("email", email="a@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        message = _queue(contact)

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "451" in build_timeline(viewer=UserFactory(), contact_ids=[contact.pk])[0].outcome


def test_smtp_permanent_error_fails_at_once(db, smtp_server, django_capture_on_commit_callbacks):
    smtp_server.reply = "550 No such user"
    contact = consenting_contact("email", email="a@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        message = _queue(contact)

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.attempts == 1


def test_real_smtp_receives_message_with_threading_id(
    db, smtp_server, django_capture_on_commit_callbacks
):
    contact = consenting_contact("email", email="aziza@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        message = _queue(contact, html_body="<p>Your cake is ready.</p>")

    received = smtp_server.messages[0]
    assert received["To"] == "aziza@example.com"
    assert received["Message-ID"] == message.email_message_id
    assert received.is_multipart()


def test_emails_from_one_worker_share_one_smtp_session(db, smtp_server):
    contact = consenting_contact("email", email="aziza@example.com")
    messages = [_queue(contact, idempotency_key=f"order-{n}-ready") for n in range(3)]

    for message in messages:
        deliver_message(message_id=message.pk)

    assert len(smtp_server.messages) == 3
    assert len(set(smtp_server.sessions)) == 1


def test_email_after_the_server_hung_up_goes_out_on_a_new_session(db, smtp_server):
    contact = consenting_contact("email", email="aziza@example.com")
    first = _queue(contact, idempotency_key="order-1-ready")
    second = _queue(contact, idempotency_key="order-2-ready")
    deliver_message(message_id=first.pk)
    # The server restarts (or drops an idle session): the kept connection is dead.
    smtp_server.restart()

    status = deliver_message(message_id=second.pk)

    second.refresh_from_db()
    assert second.status == Status.SENT, status
    assert [m["Message-ID"] for m in smtp_server.messages] == [
        first.email_message_id,
        second.email_message_id,
    ]
    assert len(set(smtp_server.sessions)) == 2


def test_crashed_email_send_becomes_unknown_not_resent(db, settings, smtp_server):
    contact = consenting_contact("email", email="a@example.com")
    message = _queue(contact)
    # A worker claimed it, handed it to SMTP and died before saving "sent".
    claim_message(message_id=message.pk, worker="dead")
    OutboundMessage.objects.filter(pk=message.pk).update(
        claimed_at=timezone.now()
        - datetime.timedelta(minutes=settings.HAMKOR_MESSAGING_STALE_MINUTES + 1)
    )

    counts = recover_stale_messages()

    message.refresh_from_db()
    assert counts == {"requeued": 0, "unknown": 1}
    assert message.status == Status.UNKNOWN
    assert smtp_server.messages == []


def test_recent_sending_message_is_left_alone(db):
    contact = consenting_contact("email", email="a@example.com")
    message = _queue(contact)
    claim_message(message_id=message.pk, worker="busy")

    assert recover_stale_messages() == {"requeued": 0, "unknown": 0}
    message.refresh_from_db()
    assert message.status == Status.SENDING


def test_retry_message_after_human_check_sends_again(db, django_capture_on_commit_callbacks):
    contact = consenting_contact("email", email="a@example.com")
    message = _queue(contact)
    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.UNKNOWN)
    message.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        retry_message(message=message, actor=UserFactory())

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("local_time", "window", "expected_local"),
    [
        ("12:00", ("09:00", "20:00"), "2025-03-10 12:00"),
        ("07:30", ("09:00", "20:00"), "2025-03-10 09:00"),
        ("23:00", ("09:00", "20:00"), "2025-03-11 09:00"),
        ("20:00", ("09:00", "20:00"), "2025-03-11 09:00"),
        ("23:00", ("22:00", "02:00"), "2025-03-10 23:00"),
        ("12:00", ("22:00", "02:00"), "2025-03-10 22:00"),
        ("03:00", ("00:00", "00:00"), "2025-03-10 03:00"),
    ],
)
def test_next_allowed_time(local_time, window, expected_local):
    moment = datetime.datetime.fromisoformat(f"2025-03-10 {local_time}").replace(tzinfo=TASHKENT)
    parsed = tuple(datetime.time.fromisoformat(t) for t in window)

    result = next_allowed_time(moment, zone=TASHKENT, window=parsed)

    expected = datetime.datetime.fromisoformat(expected_local).replace(tzinfo=TASHKENT)
    assert result == expected
