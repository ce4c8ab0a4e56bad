import threading

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
    start = threading.Barrier(WORKERS)
    flagged, errors = [], []

    def sweep():
        try:
            start.wait()
            flagged.append(flag_breaches(now=later))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(flagged) == 6  # 3 tickets x (first response, resolution)
    assert AuditEvent.objects.filter(verb="ticket.sla_breached").count() == 6
    assert Notification.objects.filter(user=manager, kind="sla_breach").count() == 6
