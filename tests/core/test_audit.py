import pytest
from django.db import transaction

from hamkor.core.audit import changes, event_recorded, record_event, snapshot
from hamkor.core.models import AuditEvent
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    event_recorded.connect(receiver, dispatch_uid="test-audit-heard")
    yield received
    event_recorded.disconnect(dispatch_uid="test-audit-heard")


def test_record_event_announces_the_event_after_commit(heard, django_capture_on_commit_callbacks):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        event = record_event(actor=user, verb="user.poked", target=user, data={"by": "test"})
        assert heard == []

    assert heard == [
        {
            "signal": event_recorded,
            "event_id": event.pk,
            "verb": "user.poked",
            "target_type": "accounts.user",
            "target_id": str(user.pk),
        }
    ]


def test_record_event_in_a_rolled_back_transaction_announces_nothing(
    heard, django_capture_on_commit_callbacks
):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                record_event(actor=user, verb="user.poked", target=user)
                raise RuntimeError
        except RuntimeError:
            pass

    assert heard == []
    assert not AuditEvent.objects.filter(verb="user.poked").exists()


def test_changes_lists_old_and_new_text_of_changed_fields_only():
    owner, new_owner = UserFactory(), UserFactory()
    before = snapshot(owner, ["username", "team"])
    owner.username = "renamed"
    owner.team = new_owner.team

    changed = changes(before, snapshot(owner, ["username", "team"]))

    assert changed == {
        "team": [str(before["team"]), str(new_owner.team_id)],
        "username": [before["username"], "renamed"],
    }
