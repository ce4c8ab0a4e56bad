import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from hamkor.analytics.selectors.live import live_monthly
from hamkor.billing.models import Invoice
from hamkor.contacts.models import Contact
from hamkor.contacts.search import filter_by_search
from hamkor.core.models import AuditEvent
from hamkor.marketing.selectors import get_effectiveness
from hamkor.privacy.models import PrivacyRequest, RequestKind
from hamkor.privacy.services import erase_contact, export_contact
from hamkor.sales.models import Order
from hamkor.support.models import TicketAttachment
from tests.contacts.factories import ContactFactory
from tests.privacy.factories import (
    EMAIL,
    FIRST,
    LAST,
    NAME,
    PHONE,
    AdminFactory,
    BookingFactory,
    NotificationFactory,
    person_with_everything,
)

TRACES = [NAME, f"{LAST} {FIRST}", LAST, PHONE, PHONE.lstrip("+"), EMAIL]


def database_text() -> str:
    """Every row of every table as text: SQLite's dump, or each PostgreSQL row cast to text."""
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT CAST(t AS text) FROM "{table}" AS t')  # noqa: S608
            parts.extend(row[0] for row in cursor.fetchall())
    return "\n".join(parts)


def media_bytes() -> bytes:
    root = Path(settings.MEDIA_ROOT)
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())


def traces_in(text: str) -> list[str]:
    lowered = text.lower()
    return [t for t in TRACES if t.lower() in lowered or t.encode().hex() in lowered]


def revenue_figures():
    today = timezone.localdate()
    report = get_effectiveness(start=today - datetime.timedelta(days=30), end=today)
    return (
        sorted(live_monthly().items(), key=str),
        [(row.id, row.new_contacts, row.customers, row.revenue) for row in report.sources],
    )


def test_erase_contact_leaves_no_trace_in_the_database_or_files(
    db, django_capture_on_commit_callbacks
):
    person = person_with_everything()
    # Before: every trace is there, so the scan can find them.
    assert traces_in(database_text()) == TRACES
    assert NAME.encode() in media_bytes()

    with django_capture_on_commit_callbacks(execute=True):
        erase_contact(contact=person.contact, actor=AdminFactory())

    assert traces_in(database_text()) == []
    assert FIRST not in database_text()
    assert NAME.encode() not in media_bytes()


def test_erase_contact_keeps_revenue_reports(db, django_capture_on_commit_callbacks):
    person = person_with_everything()
    before = revenue_figures()
    orders = list(Order.objects.filter(contact=person.contact).values_list("pk", "total"))

    with django_capture_on_commit_callbacks(execute=True):
        erase_contact(contact=person.contact, actor=AdminFactory())

    assert revenue_figures() == before
    assert before[1][0][2] == 2  # both customers of the banner still bought
    assert list(Order.objects.filter(contact=person.contact).values_list("pk", "total")) == orders
    assert Invoice.objects.filter(contact=person.contact).count() == 1


def test_erase_contact_anonymizes_and_archives_the_contact(db):
    person = person_with_everything()

    request = erase_contact(contact=person.contact, actor=AdminFactory())

    contact = Contact._base_manager.get(pk=person.contact.pk)
    assert contact.full_name == f"Erased contact #{contact.pk}"
    assert contact.birthday is None
    assert contact.notes == ""
    assert contact.archived_at is not None
    assert not contact.phones.exists()
    assert not contact.emails.exists()
    assert contact.source == person.source
    assert request.kind == RequestKind.ERASURE
    assert request.fulfilled_at is not None
    assert AuditEvent.objects.filter(verb="privacy.erased", target_id=str(contact.pk)).exists()


def test_erase_contact_removes_the_person_from_search(db):
    person = person_with_everything()

    erase_contact(contact=person.contact, actor=AdminFactory())

    everyone = Contact._base_manager.all()
    assert not filter_by_search(everyone, "Zebunisa").exists()
    assert not filter_by_search(everyone, "901112233").exists()
    assert filter_by_search(everyone, "Dilnoza").get() == person.other


def test_erase_contact_leaves_other_customers_alone(db):
    person = person_with_everything()
    other_before = Contact.objects.filter(pk=person.other.pk).values().get()

    erase_contact(contact=person.contact, actor=AdminFactory())

    other_after = Contact.objects.filter(pk=person.other.pk).values().get()
    assert other_after == other_before
    assert person.other.interactions.get().body == "Dilnoza wants bread"
    assert list(person.other.phones.values_list("number", flat=True)) == ["+998935556677"]


def test_erase_contact_deletes_attachments_and_earlier_exports(
    db, django_capture_on_commit_callbacks
):
    person = person_with_everything()
    attachment = TicketAttachment.objects.get()
    stored = Path(attachment.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        export = export_contact(contact=person.contact, actor=AdminFactory())
    zip_path = Path(settings.VAR_DIR) / "privacy-exports" / export.result_file
    assert zip_path.is_file()

    with django_capture_on_commit_callbacks(execute=True):
        erase_contact(contact=person.contact, actor=AdminFactory())

    assert not stored.exists()
    assert not zip_path.exists()
    assert not TicketAttachment.objects.exists()
    export.refresh_from_db()
    assert export.result_file == ""
    assert PrivacyRequest.objects.filter(contact_id_value=person.contact.pk).count() == 2


def test_erase_contact_includes_duplicates_merged_into_it(db):
    person = person_with_everything()
    duplicate = Contact.objects.create(
        first_name=FIRST, last_name=LAST, merged_into=person.contact, archived_at=timezone.now()
    )

    erase_contact(contact=person.contact, actor=AdminFactory())

    duplicate.refresh_from_db()
    assert duplicate.full_name == f"Erased contact #{duplicate.pk}"


def test_erase_contact_keeps_a_namesakes_name_but_sweeps_unlinked_mentions(db):
    person = person_with_everything()
    namesake = ContactFactory(first_name=FIRST, last_name=LAST)
    BookingFactory(contact=namesake, name=NAME, phone="+998937778899")
    staff = AdminFactory()
    note = NotificationFactory(user=staff, title=f"Call {NAME} about {EMAIL}")

    erase_contact(contact=person.contact, actor=staff)

    namesake.refresh_from_db()
    assert namesake.full_name == f"{LAST} {FIRST}"
    assert namesake.bookings.get().name == NAME
    note.refresh_from_db()
    assert note.title == "Call [erased] about [erased]"
