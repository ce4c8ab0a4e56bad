import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hamkor.contacts.services import archive_contact
from hamkor.messaging.models import Kind, OutboundMessage
from hamkor.portal.errors import CodeRequestThrottled, LoginCodeRejected
from hamkor.portal.models import LoginCode, LoginThrottle
from hamkor.portal.services import (
    CODE_LIFETIME,
    MAX_CODES_PER_ADDRESS,
    MAX_CODES_PER_IP,
    MAX_WRONG_ATTEMPTS,
    RATE_WINDOW,
    parse_login_address,
    purge_login_codes,
    request_login_code,
    verify_login_code,
)
from tests.accounts.factories import UserFactory
from tests.portal.factories import CustomerFactory, sent_code

pytestmark = pytest.mark.django_db

EMAIL = "aziza@example.com"
PHONE = "+998901234567"


def _later(monkeypatch, delta):
    moment = timezone.now() + delta
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_parse_login_address_normalises_email_and_phone_like_contacts():
    assert parse_login_address("  Aziza@Example.COM ").address == EMAIL
    phone = parse_login_address("90 123 45 67")
    assert (phone.channel, phone.address) == ("sms", PHONE)


def test_parse_login_address_refuses_neither():
    with pytest.raises(ValidationError):
        parse_login_address("not an address")


def test_request_login_code_emails_a_six_digit_code(
    smtp_server, django_capture_on_commit_callbacks
):
    # No consent on record: a code the customer asked for is sent all the same.
    CustomerFactory(email=EMAIL)

    with django_capture_on_commit_callbacks(execute=True):
        request_login_code(address=parse_login_address(EMAIL), client_ip="10.0.0.1")

    message = OutboundMessage.objects.get(to_address=EMAIL)
    assert (message.kind, message.status) == (Kind.TRANSACTIONAL, "sent")
    delivered = smtp_server.messages[0]
    assert delivered["To"] == EMAIL
    assert sent_code(EMAIL) in delivered.get_payload(decode=True).decode()


def test_request_login_code_stores_only_a_hash_of_the_code():
    CustomerFactory(email=EMAIL)

    row = request_login_code(address=parse_login_address(EMAIL), client_ip=None)

    code = sent_code(EMAIL)
    assert code not in row.code_hash
    assert len(row.code_hash) == 64


def test_request_login_code_for_an_unknown_address_sends_nothing():
    CustomerFactory(email=EMAIL)

    row = request_login_code(address=parse_login_address("nobody@example.com"), client_ip=None)

    assert row.contact is None
    assert OutboundMessage.objects.count() == 0


def test_request_login_code_sends_nothing_when_two_customers_share_the_address():
    CustomerFactory(phone=PHONE)
    CustomerFactory(phone=PHONE)

    request_login_code(address=parse_login_address(PHONE), client_ip=None)

    assert OutboundMessage.objects.count() == 0


def test_request_login_code_ignores_archived_contacts():
    archived = CustomerFactory(email=EMAIL)
    archive_contact(contact=archived, actor=archived.owner)

    row = request_login_code(address=parse_login_address(EMAIL), client_ip=None)

    assert row.contact is None


def test_verify_login_code_logs_in_with_the_right_code():
    customer = CustomerFactory(phone=PHONE)
    address = parse_login_address(PHONE)
    request_login_code(address=address, client_ip=None)

    contact = verify_login_code(address=address, code=sent_code(PHONE))

    assert contact == customer


def test_verify_login_code_accepts_spaces_in_the_code():
    customer = CustomerFactory(email=EMAIL)
    address = parse_login_address(EMAIL)
    request_login_code(address=address, client_ip=None)
    code = sent_code(EMAIL)

    assert verify_login_code(address=address, code=f" {code[:3]} {code[3:]} ") == customer


def test_verify_login_code_refuses_a_code_used_once():
    CustomerFactory(email=EMAIL)
    address = parse_login_address(EMAIL)
    request_login_code(address=address, client_ip=None)
    code = sent_code(EMAIL)
    verify_login_code(address=address, code=code)

    with pytest.raises(LoginCodeRejected, match="expired or was already used"):
        verify_login_code(address=address, code=code)


def test_verify_login_code_refuses_an_expired_code(monkeypatch):
    CustomerFactory(email=EMAIL)
    address = parse_login_address(EMAIL)
    request_login_code(address=address, client_ip=None)
    code = sent_code(EMAIL)
    _later(monkeypatch, CODE_LIFETIME + datetime.timedelta(seconds=1))

    with pytest.raises(LoginCodeRejected, match="expired"):
        verify_login_code(address=address, code=code)


def test_verify_login_code_works_just_before_expiry(monkeypatch):
    customer = CustomerFactory(email=EMAIL)
    address = parse_login_address(EMAIL)
    request_login_code(address=address, client_ip=None)
    code = sent_code(EMAIL)
    _later(monkeypatch, CODE_LIFETIME - datetime.timedelta(seconds=5))

    assert verify_login_code(address=address, code=code) == customer


def test_verify_login_code_counts_down_wrong_attempts():
    CustomerFactory(email=EMAIL)
    address = parse_login_address(EMAIL)
    request_login_code(address=address, client_ip=None)

    with pytest.raises(LoginCodeRejected, match="4 more times"):
        verify_login_code(address=address, code="000000" if sent_code(EMAIL) != "000000" else "1")


def test_verify_login_code_locks_the_code_after_too_many_wrong_attempts():
    CustomerFactory(email=EMAIL)
    address = parse_login_address(EMAIL)
    request_login_code(address=address, client_ip=None)
    code = sent_code(EMAIL)
    wrong = "111111" if code != "111111" else "222222"
    for _ in range(MAX_WRONG_ATTEMPTS - 1):
        with pytest.raises(LoginCodeRejected):
            verify_login_code(address=address, code=wrong)
    with pytest.raises(LoginCodeRejected, match="cannot be tried again"):
        verify_login_code(address=address, code=wrong)

    # Even the right code no longer works: it must be asked for again.
    with pytest.raises(LoginCodeRejected, match="expired or was already used"):
        verify_login_code(address=address, code=code)
    assert LoginCode.objects.get().failed_attempts == MAX_WRONG_ATTEMPTS


def test_verify_login_code_answers_an_unknown_address_like_a_known_one():
    CustomerFactory(email=EMAIL)
    known, unknown = parse_login_address(EMAIL), parse_login_address("nobody@example.com")
    request_login_code(address=known, client_ip=None)
    request_login_code(address=unknown, client_ip=None)
    wrong = "123456" if sent_code(EMAIL) != "123456" else "654321"

    with pytest.raises(LoginCodeRejected) as for_known:
        verify_login_code(address=known, code=wrong)
    with pytest.raises(LoginCodeRejected) as for_unknown:
        verify_login_code(address=unknown, code=wrong)

    assert for_known.value.message == for_unknown.value.message


def test_verify_login_code_refuses_a_customer_archived_after_the_code_was_sent():
    customer = CustomerFactory(email=EMAIL)
    address = parse_login_address(EMAIL)
    request_login_code(address=address, client_ip=None)
    archive_contact(contact=customer, actor=customer.owner)

    with pytest.raises(LoginCodeRejected):
        verify_login_code(address=address, code=sent_code(EMAIL))


def test_request_login_code_limits_codes_per_address():
    CustomerFactory(email=EMAIL)
    address = parse_login_address(EMAIL)
    for number in range(MAX_CODES_PER_ADDRESS):
        request_login_code(address=address, client_ip=f"10.0.0.{number}")

    with pytest.raises(CodeRequestThrottled) as throttled:
        request_login_code(address=address, client_ip="10.0.1.1")

    assert 0 < throttled.value.retry_after_seconds <= RATE_WINDOW.total_seconds()
    assert OutboundMessage.objects.count() == MAX_CODES_PER_ADDRESS


def test_request_login_code_limits_unknown_addresses_the_same_way():
    address = parse_login_address("nobody@example.com")
    for _ in range(MAX_CODES_PER_ADDRESS):
        request_login_code(address=address, client_ip=None)

    with pytest.raises(CodeRequestThrottled):
        request_login_code(address=address, client_ip=None)


def test_request_login_code_allows_the_address_again_after_the_window(monkeypatch):
    CustomerFactory(email=EMAIL)
    address = parse_login_address(EMAIL)
    for _ in range(MAX_CODES_PER_ADDRESS):
        request_login_code(address=address, client_ip=None)
    _later(monkeypatch, RATE_WINDOW + datetime.timedelta(seconds=1))

    request_login_code(address=address, client_ip=None)

    assert OutboundMessage.objects.count() == MAX_CODES_PER_ADDRESS + 1


def test_request_login_code_limits_codes_per_client_ip():
    for number in range(MAX_CODES_PER_IP):
        request_login_code(
            address=parse_login_address(f"guess{number}@example.com"), client_ip="10.9.9.9"
        )

    with pytest.raises(CodeRequestThrottled):
        request_login_code(
            address=parse_login_address("one-more@example.com"), client_ip="10.9.9.9"
        )
    request_login_code(address=parse_login_address("one-more@example.com"), client_ip="10.9.9.8")


def test_verify_login_code_accepts_any_live_code_and_spends_them_all():
    customer = CustomerFactory(email=EMAIL)
    address = parse_login_address(EMAIL)
    request_login_code(address=address, client_ip=None)
    first = sent_code(EMAIL)
    request_login_code(address=address, client_ip=None)
    second = sent_code(EMAIL)

    assert verify_login_code(address=address, code=first) == customer
    with pytest.raises(LoginCodeRejected):
        verify_login_code(address=address, code=second)


def test_purge_login_codes_forgets_old_requests_and_idle_throttles(monkeypatch):
    CustomerFactory(email=EMAIL)
    request_login_code(address=parse_login_address(EMAIL), client_ip="10.0.0.1")
    _later(monkeypatch, datetime.timedelta(days=3))

    assert purge_login_codes() == 1
    assert LoginCode.objects.count() == 0
    assert LoginThrottle.objects.count() == 0


def test_code_requests_are_listed_in_the_admin_without_the_hash(client):
    CustomerFactory(email=EMAIL)
    row = request_login_code(address=parse_login_address(EMAIL), client_ip="10.0.0.1")
    client.force_login(UserFactory(role="admin", is_staff=True, is_superuser=True))

    listing = client.get("/admin/portal/logincode/")
    detail = client.get(f"/admin/portal/logincode/{row.pk}/change/")

    assert EMAIL in listing.content.decode()
    assert detail.status_code == 200
    assert row.code_hash not in detail.content.decode()


def test_request_login_code_texts_a_phone_at_once_even_at_night(monkeypatch):
    # 23:30 in Tashkent: automated messages would wait for the morning, a code must not.
    night = datetime.datetime(2026, 3, 1, 18, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: night)
    CustomerFactory(phone=PHONE, time_zone="Asia/Tashkent")

    request_login_code(address=parse_login_address("90-123-45-67"), client_ip=None)

    message = OutboundMessage.objects.get()
    assert (message.channel, message.to_address, message.status) == ("sms", PHONE, "queued")
    assert message.send_after == night
