import pytest
from django.core.exceptions import ValidationError

from hamkor.accounts.models import Role
from hamkor.contacts.models import Contact, ContactEmail, ContactPhone, FieldType
from hamkor.contacts.selectors import ContactFilters, list_contacts
from hamkor.contacts.services import (
    ContactInput,
    EmailInput,
    PhoneInput,
    bulk_create_contacts,
    define_custom_field,
)
from hamkor.core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.contacts.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def _item(first: str, last: str, phone: str, email: str = "") -> ContactInput:
    return ContactInput(
        values={"first_name": first, "last_name": last},
        phones=[PhoneInput(number=phone)],
        emails=[EmailInput(email=email)] if email else [],
    )


def _search(viewer, q: str) -> list[str]:
    return [c.full_name for c in list_contacts(viewer=viewer, filters=ContactFilters(q=q))]


def test_bulk_create_contacts_creates_rows_children_and_one_audit_event():
    actor = UserFactory()
    items = [
        _item("Dilnoza", "Karimova", "90 123 45 67", "Dilnoza@Example.uz"),
        _item("Айбек", "Осмонов", "+996 555 123 456"),
        _item("Sardor", "Rahimov", "+998 97 765 43 21"),
    ]

    created = bulk_create_contacts(items=items, actor=actor)

    assert created == 3
    assert Contact.objects.count() == 3
    assert set(ContactPhone.objects.values_list("number", flat=True)) == {
        "+998901234567",
        "+996555123456",
        "+998977654321",
    }
    assert list(ContactEmail.objects.values_list("email", flat=True)) == ["dilnoza@example.uz"]
    assert ContactPhone.objects.filter(is_primary=True).count() == 3
    contact = Contact.objects.get(first_name="Айбек")
    assert contact.owner == actor
    assert contact.team == actor.team
    assert contact.currency == "UZS"
    assert contact.name_key == "aybek osmonov"
    assert AuditEvent.objects.filter(verb="contact.bulk_created").count() == 1
    assert AuditEvent.objects.get(verb="contact.bulk_created").data["count"] == 3


def test_bulk_create_contacts_are_searchable_by_name_fragment_and_phone_fragment():
    viewer = UserFactory(role=Role.MANAGER)
    bulk_create_contacts(
        items=[
            _item("Dilnoza", "Каримова", "90 123 45 67"),
            _item("Айбек", "Осмонов", "+996 555 987 654"),
        ],
        actor=viewer,
    )

    assert _search(viewer, "karim") == ["Каримова Dilnoza"]
    assert _search(viewer, "Осмон") == ["Осмонов Айбек"]
    assert _search(viewer, "osmon") == ["Осмонов Айбек"]
    assert _search(viewer, "45 67") == ["Каримова Dilnoza"]
    assert _search(viewer, "987654") == ["Осмонов Айбек"]
    assert _search(viewer, "090 123") == ["Каримова Dilnoza"]


def test_bulk_create_contacts_with_one_bad_phone_creates_nothing_and_names_the_row():
    actor = UserFactory()
    items = [
        _item("Dilnoza", "Karimova", "90 123 45 67"),
        _item("Aziz", "Aliyev", "12"),
        _item("Sardor", "Rahimov", "+998 97 765 43 21"),
    ]

    with pytest.raises(ValidationError) as error:
        bulk_create_contacts(items=items, actor=actor)

    messages = error.value.messages
    assert len(messages) == 1
    assert messages[0].startswith("Row 2: phones:")
    assert "“12”" in messages[0]
    assert Contact.objects.count() == 0
    assert ContactPhone.objects.count() == 0
    assert not AuditEvent.objects.filter(verb="contact.bulk_created").exists()


def test_bulk_create_contacts_reports_every_bad_row_and_field():
    items = [
        _item("Dilnoza", "Karimova", "90 123 45 67", "not-an-email"),
        _item("Aziz", "Aliyev", "90 123 45 68"),
        ContactInput(values={"first_name": "Olim", "currency": "XX1"}),
    ]

    with pytest.raises(ValidationError) as error:
        bulk_create_contacts(items=items, actor=UserFactory())

    messages = error.value.messages
    assert [m.split(":")[0] for m in messages] == ["Row 1", "Row 3"]
    assert "emails:" in messages[0]
    assert "currency:" in messages[1]
    assert Contact.objects.count() == 0


def test_bulk_create_contacts_sets_tags_company_and_searchable_custom_fields():
    viewer = UserFactory(role=Role.MANAGER)
    company = CompanyFactory(name="Shirin Konditer")
    define_custom_field(
        entity="contact",
        key="favourite",
        label="Favourite cake",
        field_type=FieldType.TEXT,
    )
    items = [
        ContactInput(
            values={"first_name": "Malika", "company": company},
            tags=["VIP", "cakes"],
            custom_fields={"favourite": "Napoleon"},
        ),
        ContactInput(values={"first_name": "Olim"}, tags=["cakes"]),
    ]

    bulk_create_contacts(items=items, actor=viewer)

    malika = Contact.objects.get(first_name="Malika")
    assert sorted(malika.tags.values_list("name", flat=True)) == ["VIP", "cakes"]
    assert malika.custom_fields == {"favourite": "Napoleon"}
    assert _search(viewer, "napoleon") == ["Malika"]
    assert _search(viewer, "konditer") == ["Malika"]
    assert Contact.objects.get(first_name="Olim").tags.count() == 1


def test_bulk_create_contacts_with_no_items_writes_nothing():
    assert bulk_create_contacts(items=[], actor=UserFactory()) == 0
    assert not AuditEvent.objects.filter(verb="contact.bulk_created").exists()
