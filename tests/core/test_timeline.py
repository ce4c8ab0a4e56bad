import datetime

import pytest
from django.utils import timezone

from hamkor.core.timeline import (
    TimelineEntry,
    TimelineQuery,
    TimelineSource,
    build_timeline,
    channel_choices,
    register_source,
)
from tests.accounts.factories import UserFactory
from tests.activities.factories import InteractionFactory
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def order_source():
    """A second source, as a later app (orders) would register one."""
    now = timezone.now()
    calls: list[TimelineQuery] = []

    def fetch(query: TimelineQuery) -> list[TimelineEntry]:
        calls.append(query)
        if query.channel and query.channel != "order":
            return []
        entries = [
            TimelineEntry(
                occurred_at=now - datetime.timedelta(hours=h),
                kind="order",
                object_id=h,
                title=f"Order {h}",
            )
            for h in (1, 3)
        ]
        return entries[: query.limit]

    from hamkor.core import timeline

    # The real order source (sales app) is put back afterwards.
    saved = dict(timeline._sources)
    register_source(TimelineSource(kind="order", label="Orders", fetch=fetch))
    yield calls
    timeline._sources.clear()
    timeline._sources.update(saved)


def test_build_timeline_merges_sources_newest_first(order_source):
    contact = ContactFactory()
    now = timezone.now()
    InteractionFactory(
        contact=contact, subject="Visit", occurred_at=now - datetime.timedelta(hours=2)
    )
    InteractionFactory(
        contact=contact, subject="Call", occurred_at=now - datetime.timedelta(hours=4)
    )

    entries = build_timeline(viewer=UserFactory(), contact_ids=[contact.pk])

    assert [e.title for e in entries] == ["Order 1", "Visit", "Order 3", "Call"]


def test_build_timeline_pages_with_offset(order_source):
    contact = ContactFactory()
    now = timezone.now()
    InteractionFactory(
        contact=contact, subject="Visit", occurred_at=now - datetime.timedelta(hours=2)
    )

    entries = build_timeline(viewer=UserFactory(), contact_ids=[contact.pk], limit=2, offset=1)

    assert [e.title for e in entries] == ["Visit", "Order 3"]


def test_build_timeline_filters_by_channel(order_source):
    contact = ContactFactory()
    InteractionFactory(contact=contact, channel="sms", subject="Reminder")
    InteractionFactory(contact=contact, channel="visit", subject="Came in")

    entries = build_timeline(viewer=UserFactory(), contact_ids=[contact.pk], channel="sms")

    assert [e.title for e in entries] == ["Reminder"]


def test_channel_choices_include_every_source(order_source):
    values = [value for value, _label in channel_choices()]

    assert "telegram" in values
    assert "order" in values


def test_timeline_does_not_show_other_contacts_entries():
    contact, other = ContactFactory(), ContactFactory()
    InteractionFactory(contact=other)

    assert build_timeline(viewer=UserFactory(), contact_ids=[contact.pk]) == []
