import datetime
import hashlib
import hmac
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.automation.models import DeliveryStatus, WebhookDelivery
from hamkor.automation.services import redeliver, retry_due_deliveries, save_endpoint, webhooks
from hamkor.automation.tasks import deliver_webhook
from hamkor.contacts.services import ContactInput, create_contact
from tests.accounts.factories import UserFactory
from tests.automation.factories import RuleFactory, WebhookEndpointFactory
from tests.automation.receiver import start_receiver

pytestmark = pytest.mark.django_db

SECRET = "a-long-shared-secret-1234"


@pytest.fixture
def receiver(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    receiver, server = start_receiver()
    yield receiver
    server.shutdown()
    server.server_close()


def add_contact():
    return create_contact(data=ContactInput(values={"first_name": "Rustam"}), actor=UserFactory())


def verified(request, secret=SECRET):
    """What a receiver does: recompute the HMAC over the raw body and compare."""
    expected = "sha256=" + hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(request.headers["X-Hamkor-Signature"], expected)


def test_subscribed_webhook_gets_a_signed_post_the_receiver_can_verify(receiver, committed):
    endpoint = WebhookEndpointFactory(url=receiver.url, secret=SECRET, events=["contact.created"])

    with committed():
        contact = add_contact()

    [request] = receiver.requests
    assert verified(request)
    assert not verified(request, secret="another-secret-entirely")
    assert abs(int(request.headers["X-Hamkor-Timestamp"]) - timezone.now().timestamp()) < 60
    assert request.headers["X-Hamkor-Event"] == "contact.created"
    payload = json.loads(request.body)
    assert payload["event"] == "contact.created"
    assert payload["target"] == {
        "type": "contacts.contact",
        "id": str(contact.pk),
        "label": "Rustam",
    }
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert (delivery.status, delivery.status_code, delivery.attempts) == ("delivered", 200, 1)
    assert delivery.response_excerpt == '{"ok": true}'


def test_webhook_not_subscribed_to_the_event_gets_nothing(receiver, committed):
    WebhookEndpointFactory(url=receiver.url, events=["deal.moved"])
    WebhookEndpointFactory(url=receiver.url, events=["*"], is_active=False)

    with committed():
        add_contact()

    assert receiver.requests == []


def test_failing_webhook_is_retried_with_backoff_and_logged(receiver, committed, monkeypatch):
    receiver.answers = [500, 503, 200]
    endpoint = WebhookEndpointFactory(url=receiver.url, secret=SECRET, events=["*"])

    with committed():
        add_contact()

    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert (delivery.status, delivery.attempts, delivery.status_code) == ("retrying", 1, 500)
    assert delivery.response_excerpt == "temporarily broken"
    first_wait = delivery.next_retry_at - delivery.last_attempt_at
    assert datetime.timedelta(seconds=55) < first_wait < datetime.timedelta(seconds=65)

    # Not due yet: a stray job does not send early.
    assert deliver_webhook(delivery.pk).get() == "retrying"
    assert len(receiver.requests) == 1

    later = timezone.now() + datetime.timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    retry_due_deliveries()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.status_code) == ("retrying", 2, 503)
    second_wait = delivery.next_retry_at - delivery.last_attempt_at
    assert datetime.timedelta(seconds=115) < second_wait < datetime.timedelta(seconds=125)

    even_later = later + datetime.timedelta(minutes=3)
    monkeypatch.setattr(timezone, "now", lambda: even_later)
    retry_due_deliveries()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.status_code) == ("delivered", 3, 200)
    assert len({r.body for r in receiver.requests}) == 1
    assert all(verified(r) for r in receiver.requests)


def test_webhook_gives_up_after_the_last_attempt_and_can_be_sent_again(receiver, monkeypatch):
    receiver.answers = [500]
    endpoint = WebhookEndpointFactory(url=receiver.url)
    delivery = webhooks.queue_delivery(
        endpoint=endpoint, key="manual:1", event="test.ping", target=endpoint, data={}
    )
    moment = timezone.now()
    for _ in range(webhooks.MAX_ATTEMPTS):
        moment += datetime.timedelta(days=1)
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        webhooks.deliver(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", webhooks.MAX_ATTEMPTS)
    assert delivery.next_retry_at is None
    assert len(receiver.requests) == webhooks.MAX_ATTEMPTS

    receiver.answers = [200]
    receiver.requests.clear()
    redeliver(delivery=delivery, actor=UserFactory(role=Role.MANAGER))
    webhooks.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED


def test_unreachable_webhook_records_the_error_and_waits_to_retry():
    endpoint = WebhookEndpointFactory(url="http://127.0.0.1:9/nothing-listens")
    delivery = webhooks.queue_delivery(
        endpoint=endpoint, key="manual:2", event="test.ping", target=endpoint, data={}
    )

    webhooks.deliver(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.status_code is None
    assert delivery.error


def test_rule_action_calls_a_webhook_with_the_rule_named(receiver, committed):
    endpoint = WebhookEndpointFactory(url=receiver.url, secret=SECRET)
    rule = RuleFactory(actions=[{"type": "webhook", "endpoint": endpoint.pk}])

    with committed():
        add_contact()

    [request] = receiver.requests
    assert verified(request)
    assert json.loads(request.body)["data"]["rule"] == {"id": rule.pk, "name": rule.name}


def test_save_endpoint_checks_input_and_who_may_change_it():
    manager = UserFactory(role=Role.MANAGER)

    with pytest.raises(ValidationError) as error:
        save_endpoint(
            actor=manager,
            values={"name": "CRM sync", "url": "ftp://example.com", "secret": "short"},
            events=["contact"],
        )
    assert set(error.value.message_dict) == {"url", "secret", "events"}
    with pytest.raises(PermissionDenied):
        save_endpoint(
            actor=UserFactory(role=Role.SALES),
            values={"name": "x", "url": "https://example.com/hook"},
            events=[],
        )

    endpoint = save_endpoint(
        actor=manager, values={"name": "CRM sync", "url": "https://example.com/h"}, events=["*"]
    )
    assert len(endpoint.secret) >= 32
