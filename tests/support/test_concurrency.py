import pytest
from django.db import connection
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.activities.models import Notification
from hamkor.core.models import AuditEvent
from hamkor.support.services import create_ticket
from hamkor.support.services.sla import flag_breaches
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory
from tests.races import race

WORKERS = 4


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_breach_sweeps_at_once_flag_and_escalate_each_breach_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")
    manager = UserFactory(role=Role.MANAGER)
    for n in range(3):
        create_ticket(contact=ContactFactory(), subject=f"Late {n}", body="Hello", actor=None)
    later = timezone.now() + timezone.timedelta(days=60)

    flagged, _refused, errors = race(lambda _i: flag_breaches(now=later), WORKERS)

    assert errors == []
    assert sum(flagged) == 6  # 3 tickets x (first response, resolution)
    assert AuditEvent.objects.filter(verb="ticket.sla_breached").count() == 6
    assert Notification.objects.filter(user=manager, kind="sla_breach").count() == 6
