"""The audit table refuses UPDATE and DELETE in the database itself (migration 0004)."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from hamkor.core.audit import record_event
from hamkor.core.models import AuditEvent
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def _sql(statement, params):
    # A savepoint: on PostgreSQL a refused statement would otherwise end the test's transaction.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def event():
    user = UserFactory()
    return record_event(actor=user, verb="contact.updated", target=user, data={"name": "Aziz"})


def test_trigger_refuses_raw_update(event):
    with pytest.raises(IntegrityError):
        _sql("UPDATE core_auditevent SET verb = 'contact.hidden' WHERE id = %s", [event.pk])

    assert AuditEvent.objects.get(pk=event.pk).verb == "contact.updated"


def test_trigger_refuses_raw_delete(event):
    with pytest.raises(IntegrityError):
        _sql("DELETE FROM core_auditevent WHERE id = %s", [event.pk])

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_trigger_refuses_changing_details_without_marking_a_redaction(event):
    with pytest.raises(IntegrityError):
        _sql("UPDATE core_auditevent SET data = '{}' WHERE id = %s", [event.pk])

    assert AuditEvent.objects.get(pk=event.pk).data == {"name": "Aziz"}


def test_trigger_refuses_a_redaction_that_also_changes_the_action(event):
    with pytest.raises(IntegrityError):
        _sql(
            "UPDATE core_auditevent SET data = '{}', redacted_at = %s, verb = 'x.y' WHERE id = %s",
            [timezone.now(), event.pk],
        )


def test_trigger_allows_a_redaction(event):
    _sql(
        "UPDATE core_auditevent SET data = %s, user_agent = '', redacted_at = %s WHERE id = %s",
        ['{"name": "[erased]"}', timezone.now(), event.pk],
    )

    event.refresh_from_db()
    assert event.data == {"name": "[erased]"}
    assert event.redacted_at is not None


def test_trigger_refuses_moving_an_event_to_another_actor(event):
    other = UserFactory()

    with pytest.raises(IntegrityError):
        _sql("UPDATE core_auditevent SET actor_id = %s WHERE id = %s", [other.pk, event.pk])


def test_deleting_a_user_keeps_their_events_without_an_actor():
    user = UserFactory()
    event = record_event(actor=user, verb="user.poked", target=user)

    user.delete()

    event.refresh_from_db()
    assert event.actor_id is None
    assert event.verb == "user.poked"


def test_sqlite_triggers_exist_after_migrations():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's triggers; PostgreSQL's are checked by the next test")
    # Altering the table on SQLite rebuilds it and drops its triggers: this catches a later
    # migration that forgot to create them again.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_auditevent'"
        )
        names = {row[0] for row in cursor.fetchall()}

    assert names == {"core_audit_no_delete", "core_audit_no_update"}


def test_postgresql_trigger_exists_and_is_enabled():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's trigger; run with HAMKOR_DATABASE_URL=postgres://...")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgenabled FROM pg_trigger WHERE tgname = 'core_audit_append_only'"
            " AND tgrelid = 'core_auditevent'::regclass"
        )
        rows = cursor.fetchall()

    assert rows == [("O",)]


def test_trigger_refuses_a_redaction_that_also_changes_the_ip():
    user = UserFactory()
    event = record_event(actor=user, verb="user.poked", target=user)

    with pytest.raises(IntegrityError):
        _sql(
            "UPDATE core_auditevent SET ip = '10.0.0.1', redacted_at = %s WHERE id = %s",
            [timezone.now(), event.pk],
        )


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_audit_table_and_keeps_it_append_only():
    user = UserFactory()
    record_event(actor=user, verb="user.poked", target=user)

    call_command("flush", interactive=False, verbosity=0)

    assert AuditEvent.objects.count() == 0
    user = UserFactory()
    event = record_event(actor=user, verb="user.poked", target=user)
    with pytest.raises(IntegrityError):
        _sql("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
