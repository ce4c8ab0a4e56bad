import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from hamkor.messaging.models import OutboundMessage, Status
from hamkor.messaging.services import render_message, render_template
from tests.accounts.factories import UserFactory
from tests.api.helpers import api_client, send
from tests.contacts.cards import open_card
from tests.contacts.factories import ContactFactory
from tests.messaging.factories import TemplateFactory, consenting_contact

pytestmark = pytest.mark.django_db


def test_render_template_picks_contact_language_and_personalises():
    owner = UserFactory(first_name="Dilnoza", last_name="Karimova")
    contact = ContactFactory(first_name="Aziza", language="ru", owner=owner)
    TemplateFactory(language="en", body="Happy birthday, {{ contact.first_name }}!")
    TemplateFactory(
        language="ru", body="С днём рождения, {{ contact.first_name }}! {{ owner.name }}"
    )

    rendered = render_template(key="greeting", channel="sms", contact=contact, sender=None)

    assert rendered.body == "С днём рождения, Aziza! Dilnoza Karimova"
    assert rendered.language == "ru"


def test_render_template_falls_back_to_organisation_language(settings):
    settings.LANGUAGE_CODE = "en"
    contact = ContactFactory(first_name="Aigerim", language="ky")
    TemplateFactory(language="ru", body="Привет")
    TemplateFactory(language="en", body="Hello {{ contact.first_name }}")

    rendered = render_template(key="greeting", channel="telegram", contact=contact, sender=None)

    assert rendered.body == "Hello Aigerim"
    assert rendered.language == "en"


def test_render_message_escapes_html_for_email_only():
    contact = ContactFactory(first_name="<b>Tom</b>")

    sms = render_message(
        channel="sms", body="Hi {{ contact.first_name }}", contact=contact, sender=None
    )
    email = render_message(
        channel="email", body="Hi {{ contact.first_name }}", contact=contact, sender=None
    )

    assert sms.body == "Hi <b>Tom</b>"
    assert email.html_body == "Hi &lt;b&gt;Tom&lt;/b&gt;"


@pytest.mark.parametrize(
    "source",
    [
        "{% load i18n %}hi",
        "{% include '/etc/passwd' %}",
        "{% debug %}",
        "{{ contact.first_name|safe }}",
        "{% if %}",
    ],
)
def test_render_message_sandbox_refuses_unsafe_or_broken_templates(source):
    contact = ContactFactory()

    with pytest.raises(ValidationError, match="The template has an error"):
        render_message(channel="sms", body=source, contact=contact, sender=None)


def test_render_message_cannot_reach_model_methods():
    contact = ContactFactory(first_name="Aziza")

    rendered = render_message(
        channel="sms", body="{{ contact.delete }}{{ contact.save }}x", contact=contact, sender=None
    )

    assert rendered.body == "x"
    contact.refresh_from_db()


def test_contact_page_shows_send_message_panel(client):
    user = UserFactory(role="manager")
    contact = ContactFactory(owner=user)
    client.force_login(user)

    page = open_card(client, f"/contacts/{contact.pk}/")

    assert "Send message" in page
    assert f"/messaging/contacts/{contact.pk}/send/" in page


def test_preview_shows_personalised_template(client):
    user = UserFactory(role="manager")
    contact = ContactFactory(owner=user, first_name="Aziza", language="uz")
    TemplateFactory(language="uz", body="Salom, {{ contact.first_name }}!")
    client.force_login(user)

    response = client.post(
        f"/messaging/contacts/{contact.pk}/preview/",
        {"channel": "sms", "kind": "transactional", "template": "greeting", "idempotency_key": "k"},
    )

    assert "Salom, Aziza!" in response.content.decode()


def test_send_from_card_queues_and_shows_status(client, django_capture_on_commit_callbacks):
    user = UserFactory(role="manager")
    contact = consenting_contact("email", owner=user, email="aziza@example.com", first_name="Aziza")
    client.force_login(user)
    form = {
        "channel": "email",
        "kind": "transactional",
        "subject": "Your cake",
        "body": "Dear {{ contact.first_name }}, it is ready.",
        "idempotency_key": "form-1",
    }

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/messaging/contacts/{contact.pk}/send/", form, HTTP_HX_REQUEST="true")
        client.post(f"/messaging/contacts/{contact.pk}/send/", form, HTTP_HX_REQUEST="true")

    assert "Message queued" in first.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].body == "Dear Aziza, it is ready."
    page = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "Sent" in page


def test_send_from_card_without_consent_shows_reason(client):
    user = UserFactory(role="manager")
    contact = ContactFactory(owner=user, phone="+998901234567")
    client.force_login(user)

    response = client.post(
        f"/messaging/contacts/{contact.pk}/send/",
        {"channel": "sms", "kind": "marketing", "body": "Sale!", "idempotency_key": "x"},
        HTTP_HX_REQUEST="true",
    )

    assert "Not sent: No consent to messages by SMS on record." in response.content.decode()


def test_send_from_card_empty_text_keeps_form_with_error(client):
    user = UserFactory(role="manager")
    contact = consenting_contact("sms", owner=user, phone="+998901234567")
    client.force_login(user)

    response = client.post(
        f"/messaging/contacts/{contact.pk}/send/",
        {"channel": "sms", "kind": "transactional", "subject": "kept", "idempotency_key": "x"},
        HTTP_HX_REQUEST="true",
    )

    content = response.content.decode()
    assert "Write the message or choose a template." in content
    assert 'value="kept"' in content
    assert OutboundMessage.objects.count() == 0


def test_send_from_card_to_invisible_contact_is_404(client):
    contact = ContactFactory()
    client.force_login(UserFactory(role="sales"))

    response = client.post(
        f"/messaging/contacts/{contact.pk}/send/",
        {"channel": "sms", "kind": "transactional", "body": "x", "idempotency_key": "x"},
    )

    assert response.status_code == 404


def test_api_queue_and_list_messages(django_capture_on_commit_callbacks):
    user = UserFactory(role="manager")
    contact = consenting_contact("email", owner=user, email="a@example.com")
    client = api_client(user)
    payload = {
        "contact_id": contact.pk,
        "channel": "email",
        "subject": "Hi",
        "body": "Hello {{ contact.first_name }}",
        "idempotency_key": "shop-42",
    }

    with django_capture_on_commit_callbacks(execute=True):
        created = send(client, "post", "/api/v1/messaging/messages", payload)
        again = send(client, "post", "/api/v1/messaging/messages", payload)
    listed = client.get(f"/api/v1/messaging/contacts/{contact.pk}/messages").json()

    assert created.status_code == 201
    assert again.json()["id"] == created.json()["id"]
    assert listed["count"] == 1
    assert listed["items"][0]["status"] == Status.SENT
    assert listed["items"][0]["body"] == f"Hello {contact.first_name}"


def test_api_queue_bad_input_is_422():
    user = UserFactory(role="manager")
    contact = ContactFactory(owner=user)
    client = api_client(user)

    response = send(
        client,
        "post",
        "/api/v1/messaging/messages",
        {"contact_id": contact.pk, "channel": "fax", "body": "x", "idempotency_key": "k"},
    )
    no_text = send(
        client,
        "post",
        "/api/v1/messaging/messages",
        {"contact_id": contact.pk, "channel": "sms", "idempotency_key": "k"},
    )

    assert response.status_code == 422
    assert no_text.status_code == 422
    assert "Write the message" in no_text.json()["detail"]


def test_api_other_teams_contact_is_404():
    contact = ContactFactory()
    client = api_client(UserFactory(role="sales"))

    response = client.get(f"/api/v1/messaging/contacts/{contact.pk}/messages")

    assert response.status_code == 404
