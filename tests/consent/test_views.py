"""The consent history page of a contact: who, when, how and the wording; recording there."""

import pytest
from django.test import Client
from django.urls import reverse

from hamkor.consent.models import ConsentRecord
from tests.accounts.factories import UserFactory
from tests.consent.factories import give, withdraw
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(first_name="Malika", last_name="Yusupova")
    client.force_login(user)
    return user


@pytest.fixture
def contact(staff):
    return ContactFactory(owner=staff, first_name="Aziza")


def test_history_page_lists_every_record_with_who_how_and_text(client, staff, contact):
    give(contact, "sms", days_ago=9, method="written", text_shown="Yes to SMS offers.", actor=staff)
    withdraw(contact, "sms", days_ago=1, method="message", note="Replied STOP.")

    response = client.get(reverse("consent:contact", args=[contact.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Yes to SMS offers." in page
    assert "Malika Yusupova" in page
    assert "Written form" in page
    assert "Reply to a message" in page
    assert "Replied STOP." in page
    assert "the customer" in page
    assert page.index("Withdrew consent") < page.index("Gave consent")


def test_history_page_of_an_invisible_contact_is_404(client, staff):
    hidden = ContactFactory()

    response = client.get(reverse("consent:contact", args=[hidden.pk]))

    assert response.status_code == 404


def test_history_page_needs_login(contact):
    response = Client().get(reverse("consent:contact", args=[contact.pk]))

    assert response.status_code == 302


def test_recording_on_the_page_appends_a_record(client, staff, contact):
    response = client.post(
        reverse("consent:contact", args=[contact.pk]),
        {
            "purpose": "service",
            "channel": "email",
            "granted": "no",
            "method": "phone",
            "text_shown": "",
            "note": "No emails at all, please.",
            "recorded_at": "",
        },
    )

    assert response.status_code == 302
    record = ConsentRecord.objects.get(contact=contact)
    assert (record.purpose, record.granted, record.recorded_by) == ("service", False, staff)


def test_a_grant_without_wording_is_refused_and_the_typed_note_kept(client, staff, contact):
    response = client.post(
        reverse("consent:contact", args=[contact.pk]),
        {
            "purpose": "marketing",
            "channel": "sms",
            "granted": "yes",
            "method": "in_person",
            "text_shown": "",
            "note": "At the till",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Write the wording the customer agreed to" in page
    assert 'value="At the till"' in page
    assert not ConsentRecord.objects.exists()


def test_posting_to_an_invisible_contact_is_404_and_writes_nothing(client, staff):
    hidden = ContactFactory()

    response = client.post(
        reverse("consent:contact", args=[hidden.pk]),
        {"purpose": "marketing", "channel": "sms", "granted": "no", "method": "phone"},
    )

    assert response.status_code == 404
    assert not ConsentRecord.objects.exists()
