import pytest

from hamkor.core.audit import ERASED, record_event, redact_values
from hamkor.core.models import AppendOnlyError, AuditEvent
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_redact_values_erases_every_occurrence_in_any_case():
    user = UserFactory()
    event = record_event(
        actor=user,
        verb="contact.updated",
        target=user,
        data={
            "changed": {"last_name": ["Каримова", "КАРИМОВА-Ли"], "phone": ["", "+998901234567"]},
            "note": ["call dilnoza@example.uz", 998901234567],
        },
    )

    count = redact_values(values=["каримова", "+998901234567", "DILNOZA@example.uz", "  "])

    event.refresh_from_db()
    assert count == 1
    assert event.data == {
        "changed": {"last_name": [ERASED, f"{ERASED}-Ли"], "phone": ["", ERASED]},
        "note": [f"call {ERASED}", 998901234567],
    }
    assert event.redacted_at is not None


def test_redact_values_leaves_unrelated_events_alone():
    user = UserFactory()
    other = record_event(actor=user, verb="contact.created", target=user, data={"name": "Aziz"})

    count = redact_values(values=["Karimova"])

    other.refresh_from_db()
    assert count == 0
    assert other.data == {"name": "Aziz"}
    assert other.redacted_at is None


def test_redact_values_erases_the_browser_string():
    user = UserFactory()
    event = AuditEvent.objects.create(
        actor=user,
        verb="user.logged_in",
        target_type="accounts.user",
        target_id="1",
        user_agent="Mozilla/5.0 (Karimova's phone)",
    )

    redact_values(values=["karimova"])

    event.refresh_from_db()
    assert event.user_agent == f"Mozilla/5.0 ({ERASED}'s phone)"


def test_audit_event_refuses_save_of_a_stored_row_and_delete():
    user = UserFactory()
    event = record_event(actor=user, verb="user.poked", target=user)
    event.verb = "user.hidden"

    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(verb="user.hidden")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).verb == "user.poked"
