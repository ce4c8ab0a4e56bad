import pytest
from django.urls import reverse

from hamkor.consent.models import ConsentRecord
from hamkor.consent.selectors import get_consent
from hamkor.contacts.models import ChannelConsent, ConsentChannel
from hamkor.contacts.services import record_consent
from hamkor.core.models import AuditEvent
from hamkor.portal.services import parse_login_address, request_login_code, verify_login_code
from tests.portal.factories import CustomerFactory, sent_code
from tests.portal.helpers import portal_log_in, profile_form

pytestmark = pytest.mark.django_db

PHONE = "+998901234567"


@pytest.fixture
def aziza(client):
    customer = CustomerFactory(email="aziza@example.com", phone=PHONE)
    portal_log_in(client, customer)
    return customer


def test_profile_shows_the_customers_details(client, aziza):
    response = client.get(reverse("portal:profile"))

    page = response.content.decode()
    assert 'value="aziza@example.com"' in page
    assert 'for="id_phone_0"' in page
    assert 'value="Asia/Tashkent" selected' in page


def test_profile_saves_names_phones_language_and_time_zone(client, aziza):
    response = client.post(
        reverse("portal:profile"),
        profile_form(
            first_name="Azizaxon", phone_1="93 555 00 00", language="ru", time_zone="Asia/Bishkek"
        ),
    )

    assert response.status_code == 302
    aziza.refresh_from_db()
    assert (aziza.first_name, aziza.language, aziza.time_zone) == (
        "Azizaxon",
        "ru",
        "Asia/Bishkek",
    )
    assert list(aziza.phones.values_list("number", flat=True)) == [PHONE, "+998935550000"]


def test_profile_shows_a_bad_phone_beside_its_field_and_saves_nothing(client, aziza):
    response = client.post(
        reverse("portal:profile"), profile_form(first_name="Changed", phone_1="12")
    )

    assert response.status_code == 400
    assert response.context["form"].errors["phone_1"]
    assert 'value="12"' in response.content.decode()
    aziza.refresh_from_db()
    assert aziza.first_name != "Changed"


def test_profile_needs_a_first_name(client, aziza):
    response = client.post(reverse("portal:profile"), profile_form(first_name=""))

    assert response.status_code == 400
    assert "first_name" in response.context["form"].errors


def test_profile_refuses_removing_every_phone_and_email(client, aziza):
    response = client.post(reverse("portal:profile"), profile_form(phone_0="", email_0=""))

    assert response.status_code == 400
    assert "Keep at least one phone number or email address" in response.content.decode()
    assert aziza.emails.count() == 1


def test_profile_refuses_only_addresses_another_customer_shares(client, aziza):
    CustomerFactory(email="family@example.com")

    response = client.post(
        reverse("portal:profile"), profile_form(phone_0="", email_0="family@example.com")
    )

    assert response.status_code == 400
    assert "You could not log in with these details next time" in response.content.decode()


def test_changed_email_is_the_one_to_log_in_with_next_time(client, aziza):
    client.post(
        reverse("portal:profile"), profile_form(phone_0="", email_0="New.Aziza@Example.com")
    )
    new, old = (
        parse_login_address("new.aziza@example.com"),
        parse_login_address("aziza@example.com"),
    )

    request_login_code(address=new, client_ip=None)
    request_login_code(address=old, client_ip=None)

    assert verify_login_code(address=new, code=sent_code("new.aziza@example.com")) == aziza
    assert not aziza.emails.filter(email="aziza@example.com").exists()


def test_profile_records_consent_per_channel_with_when_and_how(client, aziza):
    record_consent(
        contact=aziza, channel=ConsentChannel.SMS, granted=True, method="in_person", actor=None
    )

    client.post(reverse("portal:profile"), profile_form(consent_email="on"))

    consents = {c.channel: c for c in ChannelConsent.objects.filter(contact=aziza)}
    assert consents["email"].granted is True
    assert consents["email"].note == "customer portal"
    assert consents["email"].recorded_at is not None
    assert consents["sms"].granted is False
    assert "telegram" not in consents


def test_profile_leaves_unchanged_consent_alone(client, aziza):
    record_consent(
        contact=aziza, channel=ConsentChannel.EMAIL, granted=True, method="in_person", actor=None
    )

    client.post(reverse("portal:profile"), profile_form(consent_email="on"))

    assert ChannelConsent.objects.get(contact=aziza).method == "in_person"


def test_profile_change_is_audited(client, aziza):
    client.post(reverse("portal:profile"), profile_form(first_name="Azizaxon", consent_sms="on"))

    event = AuditEvent.objects.filter(verb="portal.profile_updated").get()
    assert event.target_id == str(aziza.pk)
    assert event.actor is None
    assert event.data["changed"] == ["first_name", "consent.sms"]


def _service_form(**boxes):
    """The profile as the page posts it: the service part is there, its boxes as ticked."""
    return profile_form(service_shown="True", **boxes)


def test_profile_shows_service_messages_on_when_nothing_is_on_record(client, aziza):
    response = client.get(reverse("portal:profile"))

    form = response.context["form"]
    assert [field.value() for field in form.service_fields] == [True, True, True]
    assert 'name="service_shown"' in response.content.decode()


def test_profile_stops_service_messages_on_one_channel_with_history(client, aziza):
    response = client.post(
        reverse("portal:profile"), _service_form(service_sms="on", service_telegram="on")
    )

    assert response.status_code == 302
    [record] = ConsentRecord.objects.filter(contact=aziza, purpose="service")
    assert (record.channel, record.granted, record.method, record.source) == (
        "email",
        False,
        "portal",
        "portal",
    )
    assert record.text_shown == (
        "Replies to my requests, booking confirmations and invoices by email"
    )
    assert record.recorded_by is None
    assert get_consent(contact=aziza, purpose="service", channel="email").withdrawn
    event = AuditEvent.objects.filter(verb="portal.profile_updated").get()
    assert event.data["changed"] == ["service_consent.email"]


def test_profile_shows_service_messages_stopped_and_since_when(client, aziza):
    client.post(reverse("portal:profile"), _service_form(service_sms="on", service_telegram="on"))

    response = client.get(reverse("portal:profile"))

    form = response.context["form"]
    page = response.content.decode()
    assert [field.value() for field in form.service_fields] == [False, True, True]
    assert 'id="id_service_email" checked' not in page
    assert 'id="id_service_sms" checked' in page
    assert "You stopped these on" in page


def test_profile_allows_service_messages_again(client, aziza):
    client.post(reverse("portal:profile"), _service_form(service_sms="on", service_telegram="on"))

    client.post(
        reverse("portal:profile"),
        _service_form(service_email="on", service_sms="on", service_telegram="on"),
    )

    history = ConsentRecord.objects.filter(contact=aziza, purpose="service").order_by("id")
    assert [(r.channel, r.granted) for r in history] == [("email", False), ("email", True)]
    assert get_consent(contact=aziza, purpose="service", channel="email").granted is True
    form = client.get(reverse("portal:profile")).context["form"]
    assert form["service_email"].value() is True


def test_profile_service_messages_stay_as_they_are_when_the_form_lacks_them(client, aziza):
    # An older copy of the page, or another client, without the service boxes.
    client.post(reverse("portal:profile"), profile_form(first_name="Azizaxon"))

    assert not ConsentRecord.objects.filter(contact=aziza, purpose="service").exists()


def test_profile_service_and_marketing_consent_are_kept_apart(client, aziza):
    client.post(
        reverse("portal:profile"),
        _service_form(consent_email="on", service_sms="on", service_telegram="on"),
    )

    assert get_consent(contact=aziza, purpose="marketing", channel="email").granted is True
    assert get_consent(contact=aziza, purpose="service", channel="email").withdrawn
