"""The history starts with one record per consent that existed before it was kept."""

import importlib

import pytest
from django.apps import apps

from hamkor.consent.models import ConsentRecord
from tests.contacts.factories import ContactFactory
from tests.marketing.factories import ConsentFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("hamkor.consent.migrations.0002_history_from_channel_consent")


def test_existing_channel_consent_becomes_a_marketing_record_marked_as_old():
    contact = ContactFactory()
    old = ConsentFactory(contact=contact, channel="sms", granted=False, note="Asked by phone.")
    ConsentFactory(contact=contact, channel="email")

    migration.copy_channel_consent(apps, None)

    record = ConsentRecord.objects.get(contact=contact, channel="sms")
    assert (record.purpose, record.granted, record.method) == ("marketing", False, old.method)
    assert record.recorded_at == old.recorded_at
    assert record.text_shown == ""
    assert record.note == "Asked by phone. (Recorded before consent history was kept.)"
    assert ConsentRecord.objects.filter(contact=contact).count() == 2
