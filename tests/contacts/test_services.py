import datetime

import pytest
from django.core.exceptions import ValidationError

from hamkor.activities.models import Interaction
from hamkor.contacts.models import ChannelConsent, Contact, CustomFieldDefinition, FieldType
from hamkor.contacts.services import (
    ContactInput,
    EmailInput,
    PhoneInput,
    create_contact,
    define_custom_field,
    merge_contacts,
    merge_many_contacts,
    record_consent,
    update_company,
    update_contact,
)
from hamkor.core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.activities.factories import InteractionFactory
from tests.contacts.factories import CompanyFactory, ContactFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_create_contact_normalizes_local_phone_to_e164():
    user = UserFactory()

    contact = create_contact(
        data=ContactInput(
            values={"first_name": "Dilnoza", "last_name": "Karimova"},
            phones=[PhoneInput(number="90 123 45 67")],
        ),
        actor=user,
    )

    assert list(contact.phones.values_list("number", flat=True)) == ["+998901234567"]
    assert contact.owner == user
    assert contact.team == user.team


def test_create_contact_rejects_invalid_phone_with_message_and_saves_nothing():
    with pytest.raises(ValidationError) as error:
        create_contact(
            data=ContactInput(values={"first_name": "Aziz"}, phones=[PhoneInput(number="12")]),
            actor=UserFactory(),
        )

    assert "phones" in error.value.message_dict
    assert "not a" in error.value.message_dict["phones"][0]
    assert not Contact.objects.filter(first_name="Aziz").exists()


def test_create_contact_rejects_bad_email_time_zone_and_currency():
    with pytest.raises(ValidationError) as error:
        create_contact(
            data=ContactInput(
                values={"first_name": "A", "time_zone": "Mars/Olympus", "currency": "XYZ1"},
                emails=[EmailInput(email="not-an-email")],
            ),
            actor=UserFactory(),
        )

    assert {"time_zone", "currency"} <= set(error.value.message_dict)


def test_create_contact_search_text_has_latin_form_and_phone_digits():
    contact = create_contact(
        data=ContactInput(
            values={"first_name": "Дилноза", "last_name": "Каримова"},
            phones=[PhoneInput(number="+998 90 123 45 67")],
        ),
        actor=UserFactory(),
    )

    assert "karimova" in contact.search_text
    assert "каримова" in contact.search_text
    assert "998901234567" in contact.search_text
    assert contact.name_key == "dilnoza karimova"


def test_update_contact_replaces_phones_and_records_changes():
    user = UserFactory()
    contact = ContactFactory(owner=user, phone="+998901234567")

    update_contact(
        contact=contact,
        data=ContactInput(
            values={"city": "Samarkand"}, phones=[PhoneInput(number="+996 555 123 456")]
        ),
        actor=user,
    )

    contact.refresh_from_db()
    assert contact.city == "Samarkand"
    assert list(contact.phones.values_list("number", flat=True)) == ["+996555123456"]
    event = AuditEvent.objects.get(verb="contact.updated", target_id=str(contact.pk))
    assert event.data["changed"]["city"] == ["", "Samarkand"]


def test_custom_field_values_are_validated_against_definition():
    define_custom_field(
        entity="contact", key="shoe_size", label="Shoe size", field_type=FieldType.NUMBER
    )

    with pytest.raises(ValidationError) as error:
        create_contact(
            data=ContactInput(values={"first_name": "A"}, custom_fields={"shoe_size": "big"}),
            actor=UserFactory(),
        )

    assert "must be a number" in str(error.value)


def test_custom_field_choice_value_is_stored():
    define_custom_field(
        entity="contact",
        key="cake",
        label="Favourite cake",
        field_type=FieldType.CHOICE,
        choices=["Napoleon", "Medovik"],
    )

    contact = create_contact(
        data=ContactInput(values={"first_name": "A"}, custom_fields={"cake": "Medovik"}),
        actor=UserFactory(),
    )

    assert contact.custom_fields == {"cake": "Medovik"}
    assert "medovik" in contact.search_text


def test_define_custom_field_rejects_choice_without_choices():
    with pytest.raises(ValidationError):
        define_custom_field(entity="contact", key="x", label="X", field_type=FieldType.CHOICE)

    assert not CustomFieldDefinition.objects.exists()


def test_merge_contacts_moves_interactions_phones_and_tags():
    actor = UserFactory()
    keep = ContactFactory(phone="+998901111111")
    drop = ContactFactory(phone="+998902222222", city="Bukhara")
    drop.tags.add(TagFactory(name="vip"))
    InteractionFactory(contact=drop)

    merge_contacts(keep=keep, drop=drop, actor=actor)

    keep.refresh_from_db()
    drop.refresh_from_db()
    assert Interaction.objects.filter(contact=keep).count() == 1
    assert set(keep.phones.values_list("number", flat=True)) == {"+998901111111", "+998902222222"}
    assert list(keep.tags.values_list("name", flat=True)) == ["vip"]
    assert keep.city == "Bukhara"
    assert drop.archived_at is not None
    assert drop.merged_into == keep
    assert AuditEvent.objects.filter(
        verb="contact.merged", target_id=str(keep.pk), actor=actor
    ).exists()


def test_merge_contacts_keeps_clashing_rows_on_the_archived_contact():
    actor = UserFactory()
    keep = ContactFactory(phone="+998901111111")
    drop = ContactFactory(phone="+998901111111")
    record_consent(contact=keep, channel="sms", granted=True, method="in_person", actor=actor)
    record_consent(contact=drop, channel="sms", granted=False, method="phone", actor=actor)

    merge_contacts(keep=keep, drop=drop, actor=actor)

    assert keep.phones.count() == 1
    assert ChannelConsent.objects.get(contact=keep, channel="sms").granted is True
    event = AuditEvent.objects.get(verb="contact.merged")
    assert event.data["left_behind"]["contacts.channelconsent.contact"] == 1


def test_merge_contact_with_itself_is_refused():
    contact = ContactFactory()

    with pytest.raises(ValidationError):
        merge_contacts(keep=contact, drop=contact, actor=UserFactory())


def test_birthday_in_future_is_refused():
    with pytest.raises(ValidationError) as error:
        create_contact(
            data=ContactInput(values={"first_name": "A", "birthday": datetime.date(2999, 1, 1)}),
            actor=UserFactory(),
        )

    assert "birthday" in error.value.message_dict


def test_renaming_company_makes_its_contacts_findable_by_new_name(
    django_capture_on_commit_callbacks,
):
    from hamkor.contacts.selectors import ContactFilters, list_contacts

    user = UserFactory(role="admin")
    company = CompanyFactory(name="Shirin Bakery")
    ContactFactory(company=company)

    with django_capture_on_commit_callbacks(execute=True):
        update_company(company=company, values={"name": "Tort Uyi"}, actor=user)

    found = list_contacts(viewer=user, filters=ContactFilters(q="tort uyi"))
    assert found.count() == 1


def test_merge_many_contacts_is_all_or_nothing():
    actor = UserFactory()
    keep, first, already_merged = ContactFactory(), ContactFactory(), ContactFactory()
    InteractionFactory(contact=first)
    merge_contacts(keep=ContactFactory(), drop=already_merged, actor=actor)

    with pytest.raises(ValidationError):
        merge_many_contacts(keep=keep, drops=[first, already_merged], actor=actor)

    first.refresh_from_db()
    assert first.archived_at is None
    assert Interaction.objects.get().contact == first


def test_reassigning_owner_moves_contact_into_new_owners_team():
    old_owner, new_owner = UserFactory(), UserFactory()
    contact = ContactFactory(owner=old_owner)

    update_contact(contact=contact, data=ContactInput(values={"owner": new_owner}), actor=old_owner)

    contact.refresh_from_db()
    assert contact.team == new_owner.team


@pytest.mark.parametrize("typed", ["ооба", "ha", "да", "yes"])
def test_yes_no_custom_field_understands_local_yes(typed):
    define_custom_field(entity="contact", key="vip", label="VIP", field_type=FieldType.BOOLEAN)

    contact = create_contact(
        data=ContactInput(values={"first_name": "A"}, custom_fields={"vip": typed}),
        actor=UserFactory(),
    )

    assert contact.custom_fields == {"vip": True}
