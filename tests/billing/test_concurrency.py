import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from hamkor.billing.models import Invoice, InvoiceNumberSequence
from hamkor.billing.services.issuing import issue_invoice
from tests.billing.factories import FinanceUserFactory, make_invoice

ISSUERS = 6


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_issuing_at_once_gives_gapless_unique_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")
    actor = FinanceUserFactory()
    drafts = [make_invoice(actor=actor) for _ in range(ISSUERS)]
    start = threading.Barrier(ISSUERS)
    errors = []

    def issue(draft):
        try:
            start.wait()
            issue_invoice(actor=actor, invoice=draft)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    numbers = sorted(Invoice.objects.values_list("number_seq", flat=True))
    assert errors == []
    assert numbers == list(range(1, ISSUERS + 1))
    assert InvoiceNumberSequence.objects.get().last_number == ISSUERS


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_creating_invoices_for_the_same_time_at_once_bills_it_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")
    from hamkor.billing.services.invoices import create_invoice
    from tests.projects.factories import ProjectFactory, TaskFactory, TimeEntryFactory

    project = ProjectFactory()
    entry = TimeEntryFactory(task=TaskFactory(project=project), project=project)
    actor = FinanceUserFactory()
    start = threading.Barrier(4)
    made, refused = [], []

    def create():
        try:
            start.wait()
            made.append(
                create_invoice(
                    actor=actor, company=project.company, currency="USD", time_entry_ids=[entry.pk]
                )
            )
        except Exception as error:
            refused.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(made) == 1
    assert len(refused) == 3
    assert all(isinstance(error, ValidationError) for error in refused), refused
    assert Invoice.objects.count() == 1
