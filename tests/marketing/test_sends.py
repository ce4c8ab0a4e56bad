"""Bulk sends: recipient preview, consent exclusion, safe personalisation, idempotency,
background batches, unsubscribe links (signed), RFC 8058 headers, SMS STOP, UTM attribution."""

import types

import pytest
from django.core import signing
from django.test import Client

from hamkor.contacts.models import ChannelConsent
from hamkor.marketing import services as marketing_services
from hamkor.marketing.models import Attribution, SendStatus
from hamkor.marketing.services import (
    SegmentInput,
    create_segment,
    create_send,
    is_stop_request,
    list_unsubscribe_headers,
    preview_send,
    read_unsubscribe_token,
    run_send,
    unsubscribe_token,
)
from hamkor.messaging.models import Kind, OutboundMessage
from hamkor.messaging.services.inbound import receive_sms
from hamkor.webforms.services import process_submission
from tests.contacts.factories import ContactFactory, TagFactory
from tests.marketing.factories import CampaignFactory, ConsentFactory, ManagerFactory
from tests.webforms.factories import SubmissionFactory

pytestmark = pytest.mark.django_db

BASE = "https://crm.example.uz"


@pytest.fixture
def manager():
    return ManagerFactory()


@pytest.fixture
def segment(manager):
    tag = TagFactory(name="newsletter")
    people = {
        "ok": ContactFactory(first_name="Aziza", email="aziza@example.com", language="en"),
        "no_consent": ContactFactory(email="b@example.com"),
        "unsubscribed": ContactFactory(email="c@example.com"),
        "no_address": ContactFactory(),
    }
    for contact in people.values():
        contact.tags.add(tag)
    ConsentFactory(contact=people["ok"], channel="email")
    ConsentFactory(contact=people["unsubscribed"], channel="email", granted=False)
    ConsentFactory(contact=people["no_address"], channel="email")
    segment = create_segment(
        actor=manager,
        values=SegmentInput(
            name="News", rules={"rules": [{"field": "tag", "value": ["newsletter"]}]}
        ),
    )
    segment.people = people
    return segment


def _messages(send):
    return OutboundMessage.objects.filter(idempotency_key__startswith=send.key_prefix)


def test_preview_send_counts_recipients_and_exclusions(segment):
    preview = preview_send(segment=segment, channel="email")

    assert (preview.members, preview.recipients) == (4, 1)
    assert (preview.no_consent, preview.unsubscribed, preview.no_address) == (1, 1, 1)


def test_send_queues_one_marketing_message_per_reachable_member(segment, manager):
    send = create_send(
        segment=segment,
        channel="email",
        subject="Hello {{ contact.first_name }}",
        body="Dear {{ contact.first_name }}, cakes are 10% off.",
        actor=manager,
        base_url=BASE,
    )
    run_send(send_id=send.pk)

    message = _messages(send).get()
    assert message.contact == segment.people["ok"]
    assert message.kind == Kind.MARKETING
    assert message.subject == "Hello Aziza"
    assert message.body.startswith("Dear Aziza, cakes are 10% off.")
    token = unsubscribe_token(contact=segment.people["ok"])
    assert f"{BASE}/marketing/unsubscribe/{token}/" in message.body
    send.refresh_from_db()
    assert (send.status, send.total, send.processed) == (SendStatus.DONE, 1, 1)


def test_send_prints_template_syntax_in_a_customer_name(segment, manager):
    person = segment.people["ok"]
    person.first_name = "{{ sender.email }}{% now 'Y' %}"
    person.save()

    send = create_send(
        segment=segment,
        channel="email",
        subject="Hi",
        body="Hi {{ contact.first_name }}",
        actor=manager,
        base_url=BASE,
    )
    run_send(send_id=send.pk)

    assert _messages(send).get().body.startswith("Hi {{ sender.email }}{% now 'Y' %}")


def test_send_run_twice_never_duplicates(segment, manager):
    send = create_send(segment=segment, channel="email", subject="Hi", body="Hi", actor=manager)
    run_send(send_id=send.pk)
    # A crashed worker's retry starts over from the first member.
    type(send).objects.filter(pk=send.pk).update(status=SendStatus.QUEUED, last_contact_id=0)
    run_send(send_id=send.pk)
    run_send(send_id=send.pk)

    assert _messages(send).count() == 1


def test_large_send_goes_to_the_background_in_batches(
    segment, manager, monkeypatch, django_capture_on_commit_callbacks
):
    ConsentFactory(contact=segment.people["no_consent"], channel="email")
    monkeypatch.setattr(marketing_services.sends, "INLINE_LIMIT", 1)
    monkeypatch.setattr(marketing_services.sends, "SEND_BATCH", 1)

    with django_capture_on_commit_callbacks(execute=True):
        send = create_send(segment=segment, channel="email", subject="Hi", body="Hi", actor=manager)

    send.refresh_from_db()
    assert _messages(send).count() == 2
    assert (send.status, send.processed) == (SendStatus.DONE, 2)


@pytest.mark.parametrize(
    ("subject", "body", "field"),
    [("", "Hi", "subject"), ("Hi", "  ", "body"), ("Hi", "{% if %}", "body")],
)
def test_send_refuses_bad_input(segment, manager, subject, body, field):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        create_send(segment=segment, channel="email", subject=subject, body=body, actor=manager)

    assert field in error.value.message_dict


def test_unsubscribe_token_round_trips_and_refuses_tampering(segment):
    contact = segment.people["ok"]
    token = unsubscribe_token(contact=contact)

    assert read_unsubscribe_token(token) == (contact.pk, "email")
    forged = token.replace(
        token.split(":")[0], signing.b64_encode(b'{"c":999,"ch":"email"}').decode()
    )
    with pytest.raises(signing.BadSignature):
        read_unsubscribe_token(forged)


def test_unsubscribe_page_confirms_in_the_contacts_language_then_withdraws(segment):
    contact = segment.people["ok"]
    contact.language = "ru"
    contact.save()
    url = f"/marketing/unsubscribe/{unsubscribe_token(contact=contact)}/"
    client = Client(enforce_csrf_checks=True)

    page = client.get(url)
    assert page.status_code == 200
    assert 'lang="ru"' in page.content.decode()
    assert ChannelConsent.objects.get(contact=contact, channel="email").granted is True

    # RFC 8058 one-click: a mail client posts without a CSRF token.
    done = client.post(
        url, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert done.status_code == 200
    consent = ChannelConsent.objects.get(contact=contact, channel="email")
    assert consent.granted is False
    assert preview_send(segment=segment, channel="email").recipients == 0


def test_unsubscribe_page_refuses_a_tampered_token(segment):
    token = unsubscribe_token(contact=segment.people["ok"])

    response = Client().post(f"/marketing/unsubscribe/{token[:-2]}xx/")

    assert response.status_code == 400
    assert ChannelConsent.objects.get(contact=segment.people["ok"], channel="email").granted


def test_list_unsubscribe_headers_only_for_bulk_emails(segment, manager):
    send = create_send(
        segment=segment, channel="email", subject="Hi", body="Hi", actor=manager, base_url=BASE
    )
    run_send(send_id=send.pk)
    message = _messages(send).get()

    headers = list_unsubscribe_headers(
        types.SimpleNamespace(idempotency_key=message.idempotency_key)
    )
    other = list_unsubscribe_headers(types.SimpleNamespace(idempotency_key="order:12:confirm"))

    token = unsubscribe_token(contact=segment.people["ok"])
    assert headers == {
        "List-Unsubscribe": f"<{BASE}/marketing/unsubscribe/{token}/>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert other == {}


@pytest.mark.parametrize(
    ("text", "stop"),
    [
        ("STOP", True),
        ("stop", True),
        ("Stop!", True),
        ("СТОП", True),
        ("стоп.", True),
        ("stop sending at night please", False),
        ("Thanks", False),
    ],
)
def test_is_stop_request(text, stop):
    assert is_stop_request(text) is stop


def test_inbound_sms_stop_withdraws_sms_consent():
    contact = ContactFactory(phone="+998901234567")
    ConsentFactory(contact=contact, channel="sms")

    receive_sms(from_phone="+998901234567", text="СТОП", external_id="sms-1")

    assert ChannelConsent.objects.get(contact=contact, channel="sms").granted is False


def test_inbound_sms_other_text_keeps_consent():
    contact = ContactFactory(phone="+998901234568")
    ConsentFactory(contact=contact, channel="sms")

    receive_sms(from_phone="+998901234568", text="When do you open?", external_id="sms-2")

    assert ChannelConsent.objects.get(contact=contact, channel="sms").granted is True


def test_web_form_lead_is_attributed_by_utm_campaign():
    campaign = CampaignFactory(utm_campaign="spring-sale")
    submission = SubmissionFactory(
        data={"first_name": "Aziza", "email": "new@example.com"},
        utm={"utm_campaign": "Spring-Sale", "utm_source": "instagram"},
    )

    process_submission(submission_id=submission.pk)

    submission.refresh_from_db()
    attribution = Attribution.objects.get(contact=submission.contact)
    assert attribution.campaign == campaign
    assert attribution.utm == {"utm_campaign": "Spring-Sale", "utm_source": "instagram"}
