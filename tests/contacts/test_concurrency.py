"""Versions on contacts and companies: every write bumps them, a stale edit is refused whole."""

import pytest
from django.db import connection

from hamkor.contacts.models import Contact
from hamkor.contacts.services import (
    ContactInput,
    PhoneInput,
    archive_contact,
    merge_contacts,
    update_company,
    update_contact,
)
from hamkor.core.models import AuditEvent
from hamkor.core.versioning import EditConflict
from tests.accounts.factories import UserFactory
from tests.contacts.factories import CompanyFactory, ContactFactory
from tests.races import race

RACERS = 4


@pytest.mark.django_db
def test_update_contact_with_current_version_applies_and_bumps():
    contact = ContactFactory(city="Bukhara")

    update_contact(
        contact=contact,
        data=ContactInput(values={"city": "Khiva"}),
        actor=contact.owner,
        expected_version=1,
    )

    stored = Contact.objects.get(pk=contact.pk)
    assert (stored.city, stored.version) == ("Khiva", 2)
    event = AuditEvent.objects.filter(verb="contact.updated").latest("id")
    assert event.data["version"] == 2


@pytest.mark.django_db
def test_update_contact_with_stale_version_writes_nothing_at_all():
    contact = ContactFactory(city="Bukhara", phone="+998901234567")
    editor = UserFactory(first_name="Malika", last_name="Yusupova")
    update_contact(
        contact=Contact.objects.get(pk=contact.pk),
        data=ContactInput(values={"city": "Samarkand", "job_title": "Chef"}),
        actor=editor,
    )
    events = AuditEvent.objects.count()

    with pytest.raises(EditConflict) as raised:
        update_contact(
            contact=contact,
            data=ContactInput(
                values={"city": "Khiva"},
                phones=[PhoneInput(number="+998935550000")],
                tags=["vip"],
                custom_fields={},
            ),
            actor=contact.owner,
            expected_version=1,
        )

    conflict = raised.value
    assert conflict.current.version == 2
    assert [(c.field, c.value, c.actor) for c in conflict.changes] == [
        ("city", "Samarkand", "Malika Yusupova"),
        ("job_title", "Chef", "Malika Yusupova"),
    ]
    stored = Contact.objects.get(pk=contact.pk)
    assert (stored.city, stored.version, stored.tags.count()) == ("Samarkand", 2, 0)
    assert list(stored.phones.values_list("number", flat=True)) == ["+998901234567"]
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_update_contact_from_an_old_copy_keeps_fields_it_does_not_set():
    contact = ContactFactory(city="Bukhara", job_title="")
    stale_copy = Contact.objects.get(pk=contact.pk)
    update_contact(
        contact=contact, data=ContactInput(values={"job_title": "Chef"}), actor=contact.owner
    )

    update_contact(
        contact=stale_copy, data=ContactInput(values={"city": "Khiva"}), actor=contact.owner
    )

    stored = Contact.objects.get(pk=contact.pk)
    assert (stored.city, stored.job_title, stored.version) == ("Khiva", "Chef", 3)


@pytest.mark.django_db
def test_update_contact_records_replaced_lists_in_the_changed_map():
    contact = ContactFactory(phone="+998901234567")

    update_contact(
        contact=contact,
        data=ContactInput(phones=[PhoneInput(number="+998935550000")], tags=["vip"]),
        actor=contact.owner,
    )

    event = AuditEvent.objects.filter(verb="contact.updated").latest("id")
    assert event.data["changed"]["phones"] == ["+998901234567", "+998935550000"]
    assert event.data["changed"]["tags"] == ["", "vip"]


@pytest.mark.django_db
def test_tagging_without_a_version_still_bumps_so_an_open_editor_is_told():
    contact = ContactFactory()
    opened_at = contact.version
    # What an automation rule or an import does: no version, last write wins.
    update_contact(
        contact=Contact.objects.get(pk=contact.pk),
        data=ContactInput(tags=["wholesale"]),
        actor=None,
    )

    with pytest.raises(EditConflict) as raised:
        update_contact(
            contact=contact,
            data=ContactInput(values={"city": "Osh"}),
            actor=contact.owner,
            expected_version=opened_at,
        )

    assert [(c.field, c.value) for c in raised.value.changes] == [("tags", "wholesale")]


@pytest.mark.django_db
def test_merge_bumps_both_contacts_so_open_editors_are_told():
    owner = UserFactory()
    keep = ContactFactory(owner=owner, city="")
    drop = ContactFactory(owner=owner, city="Namangan")

    merge_contacts(keep=keep, drop=drop, actor=owner)

    keep.refresh_from_db()
    drop.refresh_from_db()
    assert (keep.version, drop.version) == (2, 2)
    with pytest.raises(EditConflict) as raised:
        update_contact(
            contact=keep,
            data=ContactInput(values={"job_title": "Chef"}),
            actor=owner,
            expected_version=1,
        )
    assert ("city", "Namangan") in [(c.field, c.value) for c in raised.value.changes]


@pytest.mark.django_db
def test_archive_contact_bumps_version():
    contact = ContactFactory()

    archive_contact(contact=contact, actor=contact.owner)

    assert Contact.objects.get(pk=contact.pk).version == 2


@pytest.mark.django_db
def test_update_company_with_stale_version_writes_nothing():
    company = CompanyFactory(city="Osh", name="Baraka")
    update_company(company=company, values={"city": "Bishkek"}, actor=company.owner)

    with pytest.raises(EditConflict):
        update_company(
            company=company,
            values={"name": "Renamed"},
            tags=["vip"],
            actor=company.owner,
            expected_version=1,
        )

    company.refresh_from_db()
    assert (company.name, company.version, company.tags.count()) == ("Baraka", 2, 0)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_update_contact_racing_with_one_version_lets_exactly_one_win():
    if connection.vendor != "postgresql":
        # The SQLite pass skips it; the PostgreSQL pass (required in CI) runs it.
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time, so nothing races")
    contact = ContactFactory(city="Bukhara")

    def edit(index):
        return update_contact(
            contact=Contact.objects.get(pk=contact.pk),
            data=ContactInput(values={"city": f"City {index}"}, tags=[f"tag {index}"]),
            actor=None,
            expected_version=1,
        )

    won, refused, failed = race(edit, RACERS, expected=(EditConflict,))

    assert failed == []
    assert len(won) == 1
    assert len(refused) == RACERS - 1
    stored = Contact.objects.get(pk=contact.pk)
    assert stored.version == 2
    assert stored.city == won[0].city
    assert [tag.name for tag in stored.tags.all()] == [f"tag {won[0].city.split()[-1]}"]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_update_contact_racing_without_version_loses_no_bump():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time, so nothing races")
    contact = ContactFactory()

    def edit(index):
        return update_contact(
            contact=Contact.objects.get(pk=contact.pk),
            data=ContactInput(values={"job_title": f"Job {index}"}),
            actor=None,
        )

    won, _refused, failed = race(edit, RACERS)

    assert failed == []
    assert len(won) == RACERS
    assert Contact.objects.get(pk=contact.pk).version == 1 + RACERS
