import threading

import pytest
from django.db import connection

from hamkor.activities.models import Activity
from hamkor.automation.models import RuleRun
from hamkor.automation.services import Occurrence, execute_run
from tests.automation.factories import RuleFactory
from tests.contacts.factories import ContactFactory


@pytest.mark.django_db(transaction=True)
def test_workers_running_the_same_occurrence_at_once_act_once():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite runs one writer at a time; concurrent runs are tested on PostgreSQL")
    rule = RuleFactory(
        actions=[
            {"type": "create_task", "kind": "call", "subject": "Call", "assign": "record_owner"}
        ]
    )
    contact = ContactFactory()
    start = threading.Barrier(4)
    results = []

    def work():
        start.wait()
        try:
            results.append(
                execute_run(rule=rule, occurrence=Occurrence(key="event:42", target=contact))
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len([r for r in results if r is not None]) == 1
    assert RuleRun.objects.filter(rule=rule).count() == 1
    assert Activity.objects.filter(contact=contact).count() == 1
