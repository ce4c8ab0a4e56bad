"""The consent API: history, current state, recording; bad input 422, invisible contact 404."""

import typing

import pytest
from django.test import Client

from hamkor.consent.models import Channel, ConsentRecord, Purpose
from hamkor.consent.schemas import ChannelValue, PurposeValue
from tests.accounts.factories import UserFactory
from tests.api.helpers import api_client, send
from tests.consent.factories import give, withdraw
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/consent/contacts"
GRANT = {
    "purpose": "marketing",
    "channel": "sms",
    "granted": True,
    "method": "in_person",
    "text_shown": "May we send you offers by SMS?",
}


@pytest.fixture
def staff():
    return UserFactory()


@pytest.fixture
def contact(staff):
    return ContactFactory(owner=staff)


def test_schema_literals_match_the_model_choices():
    assert list(typing.get_args(PurposeValue)) == Purpose.values
    assert list(typing.get_args(ChannelValue)) == Channel.values


def test_get_records_lists_the_history_newest_first(staff, contact):
    give(contact, "sms", days_ago=5)
    withdraw(contact, "sms", days_ago=1, note="Replied STOP.")

    response = api_client(staff).get(f"{BASE}/{contact.pk}/records")

    assert response.status_code == 200
    body = response.json()
    assert [r["granted"] for r in body] == [False, True]
    assert body[0]["note"] == "Replied STOP."
    assert body[1]["text_shown"] == "May we send you offers?"
    assert body[0]["recorded_by"] is None


def test_post_record_appends_and_changes_the_state(staff, contact):
    client = api_client(staff)

    response = send(client, "post", f"{BASE}/{contact.pk}/records", GRANT)

    assert response.status_code == 201, response.content
    assert response.json()["recorded_by"]["id"] == staff.pk
    state = client.get(f"{BASE}/{contact.pk}/state").json()
    sms = next(s for s in state if (s["purpose"], s["channel"]) == ("marketing", "sms"))
    assert sms["granted"] is True
    assert ConsentRecord.objects.get(contact=contact).recorded_by == staff


@pytest.mark.parametrize(
    "change, field",
    [
        ({"purpose": "newsletter"}, "purpose"),
        ({"channel": "fax"}, "channel"),
        ({"text_shown": ""}, "text_shown"),
        ({"recorded_at": "2999-01-01T10:00:00+05:00"}, "recorded_at"),
    ],
)
def test_post_record_bad_input_is_422_with_a_message(staff, contact, change, field):
    response = send(api_client(staff), "post", f"{BASE}/{contact.pk}/records", GRANT | change)

    assert response.status_code == 422
    assert field in response.json()["detail"]
    assert not ConsentRecord.objects.exists()


def test_post_record_without_a_json_object_is_422(staff, contact):
    response = send(api_client(staff), "post", f"{BASE}/{contact.pk}/records", ["yes"])

    assert response.status_code == 422


@pytest.mark.parametrize("path", ["records", "state"])
def test_reading_a_contact_the_user_cannot_see_is_404(contact, path):
    outsider = UserFactory()

    response = api_client(outsider).get(f"{BASE}/{contact.pk}/{path}")

    assert response.status_code == 404
    assert response.json()["detail"]


def test_recording_for_a_contact_the_user_cannot_see_is_404(contact):
    outsider = UserFactory()

    response = send(api_client(outsider), "post", f"{BASE}/{contact.pk}/records", GRANT)

    assert response.status_code == 404
    assert not ConsentRecord.objects.exists()


def test_without_a_token_is_401(contact):
    assert Client().get(f"{BASE}/{contact.pk}/records").status_code == 401
