"""The billing app's seam into time: mark, release and list unbilled time."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.projects.models import TimeEntry
from hamkor.projects.selectors.time import list_unbilled_time
from hamkor.projects.services.time import (
    mark_time_invoiced,
    release_invoiced_time,
    update_time_entry,
)
from tests.accounts.factories import UserFactory
from tests.contacts.factories import CompanyFactory, ContactFactory
from tests.projects.factories import ProjectFactory, TaskFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db


def test_mark_time_invoiced_marks_every_entry_with_the_number():
    entries = TimeEntryFactory.create_batch(3)

    marked = mark_time_invoiced(entry_ids=[e.pk for e in entries], invoice_number="2026-0001")

    assert marked == 3
    for entry in entries:
        entry.refresh_from_db()
        assert entry.invoiced_at is not None
        assert entry.invoice_number == "2026-0001"


def test_mark_time_invoiced_second_attempt_bills_nothing_twice():
    first, second = TimeEntryFactory(), TimeEntryFactory()
    mark_time_invoiced(entry_ids=[first.pk], invoice_number="2026-0001")

    with pytest.raises(ValidationError) as error:
        mark_time_invoiced(entry_ids=[first.pk, second.pk], invoice_number="2026-0002")

    assert f"{first.pk} is already invoiced (2026-0001)" in " ".join(error.value.messages)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.invoice_number == "2026-0001"
    # All or none: the entry that was free stays free.
    assert second.invoiced_at is None
    assert second.invoice_number == ""


def test_mark_time_invoiced_refusal_undoes_its_update_even_when_caught():
    free, running = TimeEntryFactory(), TimeEntryFactory(ended_at=None, minutes=None)

    with transaction.atomic(), pytest.raises(ValidationError) as error:
        mark_time_invoiced(entry_ids=[free.pk, running.pk], invoice_number="2026-0003")

    assert f"{running.pk} is a running timer" in " ".join(error.value.messages)
    free.refresh_from_db()
    assert free.invoiced_at is None


def test_mark_time_invoiced_names_unbillable_and_missing_entries():
    unbillable = TimeEntryFactory(billable=False)

    with pytest.raises(ValidationError) as error:
        mark_time_invoiced(entry_ids=[unbillable.pk, 999_999], invoice_number="2026-0004")

    text = " ".join(error.value.messages)
    assert f"{unbillable.pk} is not billable" in text
    assert "no time entry 999999" in text


def test_mark_time_invoiced_with_no_entries_marks_nothing():
    assert mark_time_invoiced(entry_ids=[], invoice_number="2026-0005") == 0


def test_release_invoiced_time_makes_entries_billable_again():
    entries = TimeEntryFactory.create_batch(2)
    ids = [e.pk for e in entries]
    mark_time_invoiced(entry_ids=ids, invoice_number="2026-0006")

    released = release_invoiced_time(entry_ids=ids)

    assert released == 2
    assert TimeEntry.objects.filter(pk__in=ids, invoiced_at__isnull=True).count() == 2
    assert mark_time_invoiced(entry_ids=ids, invoice_number="2026-0007") == 2


def test_release_invoiced_time_for_one_invoice_leaves_another_invoices_time():
    mine, theirs = TimeEntryFactory(), TimeEntryFactory()
    mark_time_invoiced(entry_ids=[mine.pk], invoice_number="A-1")
    mark_time_invoiced(entry_ids=[theirs.pk], invoice_number="B-1")

    released = release_invoiced_time(entry_ids=[mine.pk, theirs.pk], invoice_number="A-1")

    assert released == 1
    theirs.refresh_from_db()
    assert theirs.invoice_number == "B-1"


def test_invoiced_entry_cannot_be_edited():
    entry = TimeEntryFactory()
    mark_time_invoiced(entry_ids=[entry.pk], invoice_number="2026-0008")

    with pytest.raises(ValidationError, match="on invoice 2026-0008"):
        update_time_entry(entry=entry, actor=entry.user, values={"note": "changed"})

    entry.refresh_from_db()
    assert entry.note == ""


def test_list_unbilled_time_leaves_out_invoiced_running_and_unbillable():
    project = ProjectFactory()
    task = TaskFactory(project=project)
    wanted = TimeEntryFactory(task=task)
    TimeEntryFactory(task=task, billable=False)
    TimeEntryFactory(task=task, ended_at=None, minutes=None, user=UserFactory())
    invoiced = TimeEntryFactory(task=task)
    mark_time_invoiced(entry_ids=[invoiced.pk], invoice_number="2026-0009")
    manager = UserFactory(role=Role.MANAGER)

    entries = list(list_unbilled_time(viewer=manager, project_ids=[project.pk]))

    assert entries == [wanted]


def test_list_unbilled_time_by_customer_and_until_day():
    contact, company = ContactFactory(), CompanyFactory()
    for_contact = ProjectFactory(company=None, contact=contact, owner=contact.owner)
    for_company = ProjectFactory(company=company)
    yesterday = timezone.now() - datetime.timedelta(days=1)
    old = TimeEntryFactory(
        task=TaskFactory(project=for_contact), started_at=yesterday - datetime.timedelta(days=5)
    )
    TimeEntryFactory(task=TaskFactory(project=for_contact))
    on_company = TimeEntryFactory(task=TaskFactory(project=for_company))
    finance = UserFactory(role=Role.FINANCE)

    until = timezone.localdate(yesterday - datetime.timedelta(days=2))
    by_contact = list(list_unbilled_time(viewer=finance, contact=contact, until=until))
    by_company = list(list_unbilled_time(viewer=finance, company=company))

    assert by_contact == [old]
    assert by_company == [on_company]


def test_list_unbilled_time_hides_projects_the_viewer_cannot_see():
    TimeEntryFactory()
    outsider = UserFactory(role=Role.SALES)

    assert list(list_unbilled_time(viewer=outsider)) == []


@pytest.mark.django_db(transaction=True)
def test_mark_time_invoiced_two_invoices_at_once_bill_each_entry_once():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite runs one writer at a time; concurrent marking is tested on PostgreSQL")
    entries = TimeEntryFactory.create_batch(5)
    ids = [e.pk for e in entries]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def invoice(number: str) -> None:
        start.wait()
        try:
            with transaction.atomic():
                mark_time_invoiced(entry_ids=ids, invoice_number=number)
            outcomes.append(number)
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=invoice, args=(n,)) for n in ("X-1", "X-2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes)[-1] == "refused"
    winner = next(o for o in outcomes if o != "refused")
    numbers = set(TimeEntry.objects.filter(pk__in=ids).values_list("invoice_number", flat=True))
    assert numbers == {winner}
