import json

import pytest
from django.test import Client

from hamkor.activities.models import Interaction
from hamkor.contacts.models import Contact
from hamkor.messaging.models import OutboundMessage, Status
from hamkor.messaging.providers.sms import reset_eskiz_token
from hamkor.messaging.services import queue_message
from hamkor.messaging.services.compose import send_composed
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory
from tests.messaging.factories import PrefsFactory, consenting_contact

pytestmark = pytest.mark.django_db
SECRET = "cb-secret"


@pytest.fixture
def eskiz(http_peer, settings):
    reset_eskiz_token()
    settings.HAMKOR_SMS_ENABLED = True
    settings.HAMKOR_SMS_PROVIDER = "eskiz"
    settings.HAMKOR_ESKIZ_URL = http_peer.url
    settings.HAMKOR_ESKIZ_EMAIL = "shop@example.uz"
    settings.HAMKOR_ESKIZ_PASSWORD = "pw"
    settings.HAMKOR_SMS_CALLBACK_SECRET = SECRET
    settings.HAMKOR_PUBLIC_URL = "https://crm.example.uz"

    def login(request):
        ok = request.form() == {"email": "shop@example.uz", "password": "pw"}
        if not ok:
            return 401, {"message": "Invalid credentials"}
        return 200, {
            "message": "token_generated",
            "data": {"token": "tok1"},
            "token_type": "bearer",
        }

    def sms(request):
        if request.headers.get("Authorization") != "Bearer tok1":
            return 401, {"message": "Expired"}
        return 200, {
            "id": f"esk-{len(http_peer.requests)}",
            "status": "waiting",
            "message": "Waiting for SMS provider",
        }

    http_peer.routes = {"/api/auth/login": login, "/api/message/sms/send": sms}
    yield http_peer
    reset_eskiz_token()


@pytest.fixture
def telegram(http_peer, settings):
    settings.HAMKOR_TELEGRAM_ENABLED = True
    settings.HAMKOR_TELEGRAM_BOT_TOKEN = "123:ABC"
    settings.HAMKOR_TELEGRAM_WEBHOOK_SECRET = "tg-secret"
    settings.HAMKOR_TELEGRAM_API_URL = http_peer.url

    def send(request):
        return 200, {
            "ok": True,
            "result": {"message_id": 77, "chat": {"id": request.json()["chat_id"]}},
        }

    http_peer.routes = {"/bot123:ABC/sendMessage": send}
    return http_peer


def _sms(contact, key="sms-1"):
    return queue_message(
        channel="sms",
        body="Your cake is ready",
        contact=contact,
        kind="transactional",
        idempotency_key=key,
    )


def test_eskiz_sends_sms_in_its_format(eskiz, django_capture_on_commit_callbacks):
    contact = consenting_contact("sms", phone="+998901234567")

    with django_capture_on_commit_callbacks(execute=True):
        message = _sms(contact)

    message.refresh_from_db()
    login, sent = eskiz.requests
    assert login.path == "/api/auth/login"
    assert sent.form() == {
        "mobile_phone": "998901234567",
        "message": "Your cake is ready",
        "from": "4546",
        "callback_url": f"https://crm.example.uz/messaging/sms/{SECRET}/status/",
    }
    assert message.status == Status.SENT
    assert message.provider_message_id == "esk-2"


def test_eskiz_delivery_report_marks_delivered(eskiz, django_capture_on_commit_callbacks):
    contact = consenting_contact("sms", phone="+998901234567")
    with django_capture_on_commit_callbacks(execute=True):
        message = _sms(contact)
    message.refresh_from_db()

    response = Client().post(
        f"/messaging/sms/{SECRET}/status/",
        {
            "request_id": message.provider_message_id,
            "status": "DELIVRD",
            "phone_number": "998901234567",
        },
    )

    message.refresh_from_db()
    assert response.json() == {"matched": 1}
    assert message.status == Status.DELIVERED


def test_sms_callback_with_wrong_secret_is_404(eskiz):
    response = Client().post("/messaging/sms/wrong/status/", {"id": "x", "status": "DELIVRD"})

    assert response.status_code == 404


def test_sms_callback_without_fields_is_422(eskiz):
    response = Client().post(f"/messaging/sms/{SECRET}/status/", {"status": "DELIVRD"})

    assert response.status_code == 422


def test_eskiz_server_error_is_retried(eskiz, django_capture_on_commit_callbacks):
    eskiz.routes["/api/message/sms/send"] = (503, {"message": "maintenance"})
    contact = consenting_contact("sms", phone="+998901234567")

    with django_capture_on_commit_callbacks(execute=True):
        message = _sms(contact)

    message.refresh_from_db()
    assert message.status == Status.QUEUED
    assert "503" in message.error


def test_generic_gateway_gets_json_bearer_and_idempotency_key(
    http_peer, settings, django_capture_on_commit_callbacks
):
    settings.HAMKOR_SMS_ENABLED = True
    settings.HAMKOR_SMS_PROVIDER = "http"
    settings.HAMKOR_SMS_GATEWAY_URL = f"{http_peer.url}/send"
    settings.HAMKOR_SMS_GATEWAY_TOKEN = "gw-token"
    http_peer.routes = {"/send": (200, {"id": "gw-1"})}
    contact = consenting_contact("sms", phone="+998901234567")

    with django_capture_on_commit_callbacks(execute=True):
        message = _sms(contact)

    request = http_peer.requests[0]
    assert request.headers["Authorization"] == "Bearer gw-token"
    assert request.headers["Idempotency-Key"] == "sms-1"
    assert request.json()["to"] == "+998901234567"
    assert request.json()["text"] == "Your cake is ready"
    message.refresh_from_db()
    assert message.provider_message_id == "gw-1"


def test_incoming_sms_lands_on_timeline_once(settings):
    settings.HAMKOR_SMS_ENABLED = True
    settings.HAMKOR_SMS_CALLBACK_SECRET = SECRET
    contact = ContactFactory(phone="+998901234567")
    payload = {"from": "+998 90 123 45 67", "text": "Is the shop open?", "id": "in-1"}

    for _ in range(2):
        response = Client().post(
            f"/messaging/sms/{SECRET}/incoming/",
            json.dumps(payload),
            content_type="application/json",
        )

    assert response.status_code == 200
    interaction = Interaction.objects.get(contact=contact)
    assert (interaction.channel, interaction.direction, interaction.body) == (
        "sms",
        "in",
        "Is the shop open?",
    )


def test_incoming_sms_with_bad_number_is_422(settings):
    settings.HAMKOR_SMS_ENABLED = True
    settings.HAMKOR_SMS_CALLBACK_SECRET = SECRET

    response = Client().post(
        f"/messaging/sms/{SECRET}/incoming/",
        json.dumps({"from": "12", "text": "hi"}),
        content_type="application/json",
    )

    assert response.status_code == 422


def _update(update_id, chat_id, **message):
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1741590000,
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id, "first_name": "Malika", "language_code": "ru"},
            **message,
        },
    }


def _webhook(update, secret="tg-secret"):  # noqa: S107 - a test webhook secret
    return Client().post(
        "/messaging/telegram/webhook/",
        json.dumps(update),
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=secret,
    )


def test_telegram_webhook_rejects_wrong_secret(telegram):
    response = _webhook(_update(1, 555, text="hi"), secret="nope")

    assert response.status_code == 403


def test_telegram_unknown_chat_is_asked_for_phone_then_matched(
    telegram, django_capture_on_commit_callbacks
):
    contact = ContactFactory(phone="+998901234567", language="uz")

    with django_capture_on_commit_callbacks(execute=True):
        _webhook(_update(1, 555, text="My order did not arrive"))
    ask = telegram.requests[0].json()
    with django_capture_on_commit_callbacks(execute=True):
        _webhook(_update(2, 555, contact={"phone_number": "998901234567", "user_id": 555}))

    assert ask["reply_markup"]["keyboard"][0][0]["request_contact"] is True
    bodies = list(Interaction.objects.filter(contact=contact).values_list("body", flat=True))
    assert "My order did not arrive" in bodies
    assert contact.messaging_prefs.telegram_chat_id == "555"
    thanks = OutboundMessage.objects.get(contact=contact)
    assert thanks.status == Status.SENT
    assert telegram.requests[-1].json()["chat_id"] == "555"


def test_telegram_shared_phone_of_stranger_creates_lead(
    telegram, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _webhook(
            _update(3, 777, contact={"phone_number": "+996555123456", "user_id": 777})
        )

    assert response.json()["outcome"] == "lead_created"
    lead = Contact.objects.get(phones__number="+996555123456")
    assert (lead.first_name, lead.stage) == ("Malika", "lead")


def test_telegram_redelivered_update_logged_once(telegram):
    contact = ContactFactory()
    PrefsFactory(contact=contact, telegram_chat_id="999")

    _webhook(_update(5, 999, text="Hello"))
    _webhook(_update(5, 999, text="Hello"))

    assert Interaction.objects.filter(contact=contact).count() == 1


def test_staff_reply_from_card_goes_back_through_bot(telegram, django_capture_on_commit_callbacks):
    user = UserFactory(role="support")
    contact = consenting_contact("telegram", owner=user)
    PrefsFactory(contact=contact, telegram_chat_id="4242")

    with django_capture_on_commit_callbacks(execute=True):
        message = send_composed(
            contact=contact,
            channel="telegram",
            kind="transactional",
            template="",
            subject="",
            body="We are on it, {{ contact.first_name }}.",
            actor=user,
            idempotency_key="tg-reply-1",
        )

    sent = telegram.requests[0]
    assert sent.path == "/bot123:ABC/sendMessage"
    assert sent.json() == {"chat_id": "4242", "text": f"We are on it, {contact.first_name}."}
    message.refresh_from_db()
    assert (message.status, message.provider_message_id) == (Status.SENT, "77")


def test_telegram_blocked_bot_fails_without_retry(telegram, django_capture_on_commit_callbacks):
    telegram.routes["/bot123:ABC/sendMessage"] = (
        403,
        {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
    )
    contact = consenting_contact("telegram")
    PrefsFactory(contact=contact, telegram_chat_id="4242")

    with django_capture_on_commit_callbacks(execute=True):
        message = queue_message(
            channel="telegram",
            body="Hi",
            contact=contact,
            kind="transactional",
            idempotency_key="tg-2",
        )

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "blocked by the user" in message.error
