"""Recording consent: history is appended, the current state follows the latest record."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hamkor.consent.models import ConsentRecord
from hamkor.consent.selectors import get_consent
from hamkor.consent.services import record_consent, record_staff_consent
from hamkor.contacts.models import ChannelConsent
from hamkor.contacts.services import record_consent as contacts_record_consent
from hamkor.core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.consent.factories import give, withdraw
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_record_consent_keeps_history_on_withdraw_and_regrant():
    contact = ContactFactory()
    give(contact, "sms", days_ago=30)
    withdraw(contact, "sms", days_ago=10)

    give(contact, "sms", text_shown="Yes, send me news by SMS.")

    history = list(ConsentRecord.objects.filter(contact=contact).order_by("recorded_at"))
    assert [r.granted for r in history] == [True, False, True]
    assert history[-1].text_shown == "Yes, send me news by SMS."
    assert ChannelConsent.objects.get(contact=contact, channel="sms").granted is True
    assert get_consent(contact=contact, purpose="marketing", channel="sms").granted is True


def test_record_consent_withdrawal_updates_the_marketing_mirror_with_who_and_how():
    contact = ContactFactory()
    staff = UserFactory()
    give(contact, "email", days_ago=5)

    withdraw(contact, "email", method="phone", actor=staff, note="Called to say no.")

    mirror = ChannelConsent.objects.get(contact=contact, channel="email")
    assert (mirror.granted, mirror.method, mirror.recorded_by) == (False, "phone", staff)
    assert mirror.note == "Called to say no."
    assert AuditEvent.objects.filter(verb="contact.consent", target_id=str(contact.pk)).count() == 2


def test_record_consent_backdated_record_does_not_override_a_later_decision():
    contact = ContactFactory()
    withdraw(contact, "email", days_ago=1)

    give(contact, "email", days_ago=90, method="written", note="Paper form found in a drawer.")

    assert ConsentRecord.objects.filter(contact=contact).count() == 2
    assert ChannelConsent.objects.get(contact=contact, channel="email").granted is False


def test_record_consent_service_purpose_leaves_marketing_mirror_alone():
    contact = ContactFactory()
    give(contact, "sms")

    withdraw(contact, "sms", purpose="service")

    assert ChannelConsent.objects.get(contact=contact, channel="sms").granted is True
    assert get_consent(contact=contact, purpose="service", channel="sms").withdrawn


def test_record_consent_phone_calls_are_history_only():
    contact = ContactFactory()

    give(contact, "phone", text_shown="May we call you about new cakes?")

    assert not ChannelConsent.objects.filter(contact=contact).exists()
    assert get_consent(contact=contact, purpose="marketing", channel="phone").granted is True


def test_record_consent_refuses_a_date_in_the_future():
    contact = ContactFactory()

    with pytest.raises(ValidationError) as error:
        record_consent(
            contact=contact,
            channel="email",
            granted=True,
            method="written",
            actor=None,
            recorded_at=timezone.now() + datetime.timedelta(days=2),
        )

    assert "recorded_at" in error.value.message_dict
    assert not ConsentRecord.objects.exists()


def test_record_consent_refuses_an_unknown_purpose_and_writes_nothing():
    contact = ContactFactory()

    with pytest.raises(ValidationError) as error:
        record_consent(
            contact=contact,
            channel="email",
            granted=True,
            method="written",
            actor=None,
            purpose="spam",
        )

    assert "purpose" in error.value.message_dict
    assert not ConsentRecord.objects.exists()
    assert not ChannelConsent.objects.exists()


def test_record_staff_consent_a_grant_needs_the_wording():
    contact = ContactFactory()

    with pytest.raises(ValidationError) as error:
        record_staff_consent(
            contact=contact,
            actor=UserFactory(),
            purpose="marketing",
            channel="sms",
            granted=True,
            method="in_person",
            text_shown="  ",
        )

    assert "text_shown" in error.value.message_dict
    assert not ConsentRecord.objects.exists()


def test_record_staff_consent_a_withdrawal_needs_no_wording():
    contact = ContactFactory()
    staff = UserFactory()

    record = record_staff_consent(
        contact=contact,
        actor=staff,
        purpose="marketing",
        channel="sms",
        granted=False,
        method="phone",
        text_shown="",
    )

    assert (record.granted, record.recorded_by) == (False, staff)


def test_contacts_record_consent_goes_through_the_history():
    contact = ContactFactory()

    contacts_record_consent(
        contact=contact, channel="telegram", granted=True, method="web_form", actor=None
    )

    record = ConsentRecord.objects.get(contact=contact)
    assert (record.purpose, record.channel, record.method) == ("marketing", "telegram", "web_form")
    assert ChannelConsent.objects.get(contact=contact).granted is True
