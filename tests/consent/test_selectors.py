"""Current consent: the latest record per purpose and channel, one contact or a whole list."""

import pytest

from hamkor.consent.selectors import consent_filter, get_consent_state, list_consent_records
from hamkor.contacts.models import Contact
from tests.consent.factories import give, withdraw
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_get_consent_state_is_the_latest_record_per_purpose_and_channel():
    contact = ContactFactory()
    give(contact, "sms", days_ago=20)
    withdraw(contact, "sms", days_ago=2)
    withdraw(contact, "email", purpose="service", days_ago=3)
    give(contact, "phone", days_ago=1)

    state = get_consent_state(contact=contact)

    assert state["marketing", "sms"].granted is False
    assert state["marketing", "phone"].granted is True
    assert state["service", "email"].granted is False
    assert state["service", "sms"].granted is None
    assert state["marketing", "telegram"].granted is None
    assert len(state) == 8


def test_list_consent_records_newest_first():
    contact = ContactFactory()
    old = give(contact, "sms", days_ago=20)
    new = withdraw(contact, "sms", days_ago=2)

    assert list(list_consent_records(contact=contact)) == [new, old]


@pytest.mark.parametrize("purpose, channel", [("marketing", "sms"), ("service", "sms")])
def test_consent_filter_follows_the_latest_record_not_an_older_grant(purpose, channel):
    regranted, withdrawn, never = ContactFactory(), ContactFactory(), ContactFactory()
    give(regranted, channel, purpose, days_ago=9)
    withdraw(regranted, channel, purpose, days_ago=5)
    give(regranted, channel, purpose, days_ago=1)
    give(withdrawn, channel, purpose, days_ago=9)
    withdraw(withdrawn, channel, purpose, days_ago=1)
    everyone = Contact.objects.filter(pk__in=[regranted.pk, withdrawn.pk, never.pk])

    agreed = everyone.filter(consent_filter(purpose=purpose, channel=channel))
    refused = everyone.filter(consent_filter(purpose=purpose, channel=channel, granted=False))
    on_record = everyone.filter(consent_filter(purpose=purpose, channel=channel, granted=None))

    assert list(agreed) == [regranted]
    assert list(refused) == [withdrawn]
    assert set(on_record) == {regranted, withdrawn}
