import datetime

import pytest
from django.utils import timezone

from hamkor.audit.selectors import AuditFilters, field_changes, search_events
from tests.accounts.factories import UserFactory
from tests.audit.factories import AuditEventFactory

pytestmark = pytest.mark.django_db


def _found(admin, **filters):
    return list(search_events(viewer=admin, filters=AuditFilters(**filters)))


def test_search_events_is_empty_for_non_admins(manager, seller):
    AuditEventFactory()

    assert _found(manager) == []
    assert _found(seller) == []


def test_search_events_filters_by_actor_username(admin):
    dilnoza = UserFactory(username="dilnoza")
    mine = AuditEventFactory(actor=dilnoza)
    AuditEventFactory(actor=admin)

    assert _found(admin, actor="Dilnoza") == [mine]
    assert _found(admin, actor="nobody") == []


def test_search_events_filters_by_verb_or_kind_of_verb(admin):
    updated = AuditEventFactory(verb="contact.updated")
    created = AuditEventFactory(verb="contact.created")
    AuditEventFactory(verb="contactless.created")

    assert _found(admin, verb="contact.updated") == [updated]
    assert set(_found(admin, verb="contact")) == {updated, created}


def test_search_events_filters_by_record_and_ip(admin):
    event = AuditEventFactory(target_type="sales.deal", target_id="7", ip="203.0.113.9")
    AuditEventFactory(target_type="sales.deal", target_id="8")
    AuditEventFactory(target_type="contacts.contact", target_id="7")

    assert _found(admin, target_type="sales.deal", target_id="7") == [event]
    assert _found(admin, ip="203.0.113.9") == [event]


def test_search_events_filters_by_days_inclusive(admin):
    tz = timezone.get_current_timezone()
    early = AuditEventFactory(created_at=datetime.datetime(2026, 3, 1, 0, 30, tzinfo=tz))
    late = AuditEventFactory(created_at=datetime.datetime(2026, 3, 2, 23, 30, tzinfo=tz))
    AuditEventFactory(created_at=datetime.datetime(2026, 3, 3, 0, 30, tzinfo=tz))

    found = _found(admin, date_from=datetime.date(2026, 3, 1), date_to=datetime.date(2026, 3, 2))

    assert found == [late, early]


def test_search_events_finds_text_in_details_in_any_script(admin):
    latin = AuditEventFactory(data={"changed": {"last_name": ["", "Karimova"]}})
    cyrillic = AuditEventFactory(data={"name": "Каримова Дилноза"})
    AuditEventFactory(data={"name": "Aziz"})

    assert _found(admin, text="karimova") == [latin]
    assert _found(admin, text="Каримова") == [cyrillic]


def test_field_changes_reads_the_changed_map():
    event = AuditEventFactory.build(data={"changed": {"city": ["Tashkent", "Bishkek"]}})

    assert [(c.field, c.before, c.after) for c in field_changes(event)] == [
        ("city", "Tashkent", "Bishkek")
    ]


def test_field_changes_ignores_other_shapes():
    event = AuditEventFactory.build(data={"changed": ["language"]})

    assert field_changes(event) == []
