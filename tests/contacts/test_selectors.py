import pytest
from django.core.exceptions import ObjectDoesNotExist

from hamkor.contacts.models import Contact, FieldType
from hamkor.contacts.selectors import (
    ContactFilters,
    find_similar_contacts,
    get_contact,
    list_companies,
    list_contacts,
    list_duplicate_groups,
)
from hamkor.contacts.services import ContactInput, PhoneInput, create_contact, define_custom_field
from tests.accounts.factories import TeamFactory, UserFactory
from tests.contacts.factories import CompanyFactory, ContactFactory, TagFactory

pytestmark = pytest.mark.django_db


def _names(queryset):
    return sorted(c.first_name for c in queryset)


@pytest.fixture
def two_teams():
    team_a, team_b = TeamFactory(name="A"), TeamFactory(name="B")
    seller_a = UserFactory(team=team_a)
    colleague_a = UserFactory(team=team_a)
    seller_b = UserFactory(team=team_b)
    return seller_a, colleague_a, seller_b


def test_list_contacts_shows_own_and_team_records_only(two_teams):
    seller_a, colleague_a, seller_b = two_teams
    ContactFactory(first_name="Mine", owner=seller_a)
    ContactFactory(first_name="Teams", owner=colleague_a)
    ContactFactory(first_name="Theirs", owner=seller_b)

    assert _names(list_contacts(viewer=seller_a)) == ["Mine", "Teams"]


def test_managers_see_every_team(two_teams):
    _a, _c, seller_b = two_teams
    ContactFactory(first_name="Theirs", owner=seller_b)
    manager = UserFactory(role="manager", team=None)

    assert _names(list_contacts(viewer=manager)) == ["Theirs"]


def test_get_contact_of_other_team_is_not_found(two_teams):
    seller_a, _c, seller_b = two_teams
    theirs = ContactFactory(owner=seller_b)

    with pytest.raises(ObjectDoesNotExist):
        get_contact(viewer=seller_a, pk=theirs.pk)


def test_list_companies_is_scoped_the_same_way(two_teams):
    seller_a, _c, seller_b = two_teams
    CompanyFactory(name="Ours", owner=seller_a)
    CompanyFactory(name="Theirs", owner=seller_b)

    assert [c.name for c in list_companies(viewer=seller_a)] == ["Ours"]


@pytest.mark.parametrize(
    "typed", ["4567", "90 123", "+998 90 123 45 67", "0901234567", "(90)123-45"]
)
def test_search_finds_contact_by_phone_in_any_format(typed):
    admin = UserFactory(role="admin")
    ContactFactory(first_name="Target", phone="+998901234567")
    ContactFactory(first_name="Other", phone="+998977777777")

    assert _names(list_contacts(viewer=admin, filters=ContactFilters(q=typed))) == ["Target"]


@pytest.mark.parametrize("typed", ["karim", "Карим", "KARIMOVA dil", "ova dilnoza"])
def test_search_finds_name_fragments_in_either_script(typed):
    admin = UserFactory(role="admin")
    ContactFactory(first_name="Дилноза", last_name="Каримова")
    ContactFactory(first_name="Rustam", last_name="Aliev")

    assert _names(list_contacts(viewer=admin, filters=ContactFilters(q=typed))) == ["Дилноза"]


def test_search_by_two_letter_fragment_still_works():
    admin = UserFactory(role="admin")
    ContactFactory(first_name="Bo", last_name="Xu")
    ContactFactory(first_name="Rustam", last_name="Aliev")

    assert _names(list_contacts(viewer=admin, filters=ContactFilters(q="xu"))) == ["Bo"]


def test_search_by_email_and_company_name():
    admin = UserFactory(role="admin")
    ContactFactory(first_name="Mail", email="aziza@shirin.uz")
    ContactFactory(first_name="Worker", company=CompanyFactory(name="Bishkek Digital"))

    assert _names(list_contacts(viewer=admin, filters=ContactFilters(q="aziza@shi"))) == ["Mail"]
    assert _names(list_contacts(viewer=admin, filters=ContactFilters(q="digital"))) == ["Worker"]


def test_search_ignores_archived_contacts_unless_asked():
    admin = UserFactory(role="admin")
    ContactFactory(first_name="Gone", last_name="Archived", archived_at="2024-01-01T00:00Z")

    assert list_contacts(viewer=admin, filters=ContactFilters(q="archived")).count() == 0
    assert (
        list_contacts(
            viewer=admin, filters=ContactFilters(q="archived", include_archived=True)
        ).count()
        == 1
    )


def test_filters_by_tag_stage_and_custom_field():
    admin = UserFactory(role="admin")
    define_custom_field(entity="contact", key="visits", label="Visits", field_type=FieldType.NUMBER)
    loyal = create_contact(
        data=ContactInput(
            values={"first_name": "Loyal", "stage": "loyal"},
            tags=["vip"],
            custom_fields={"visits": "12"},
        ),
        actor=admin,
    )
    create_contact(
        data=ContactInput(
            values={"first_name": "New", "stage": "lead"}, custom_fields={"visits": 1}
        ),
        actor=admin,
    )
    TagFactory(name="unused")

    assert list(list_contacts(viewer=admin, filters=ContactFilters(tag="vip"))) == [loyal]
    assert list(list_contacts(viewer=admin, filters=ContactFilters(stage="loyal"))) == [loyal]
    assert list(list_contacts(viewer=admin, filters=ContactFilters(custom={"visits": "12"}))) == [
        loyal
    ]


def test_list_contacts_orders_by_name_then_newest():
    admin = UserFactory(role="admin")
    ContactFactory(first_name="B", last_name="Zoirov")
    ContactFactory(first_name="A", last_name="Aliev")

    assert [c.last_name for c in list_contacts(viewer=admin)] == ["Aliev", "Zoirov"]
    assert [c.last_name for c in list_contacts(viewer=admin, ordering="-created")] == [
        "Aliev",
        "Zoirov",
    ]


def test_find_similar_contacts_by_phone_and_transliterated_name():
    admin = UserFactory(role="admin")
    cyrillic = ContactFactory(first_name="Дилноза", last_name="Каримова")
    same_phone = ContactFactory(first_name="Someone", last_name="Else", phone="+998901234567")

    matches = find_similar_contacts(
        viewer=admin, first_name="Dilnoza", last_name="Karimova", phones=["90 123 45 67"]
    )

    assert {m.contact.pk: m.reasons for m in matches} == {
        cyrillic.pk: ["name"],
        same_phone.pk: ["phone"],
    }


def test_find_similar_contacts_only_among_visible_records(two_teams):
    seller_a, _c, seller_b = two_teams
    ContactFactory(owner=seller_b, phone="+998901234567")

    assert find_similar_contacts(viewer=seller_a, phones=["+998901234567"]) == []


def test_list_duplicate_groups_by_phone_and_name():
    admin = UserFactory(role="admin")
    ContactFactory(first_name="Дилноза", last_name="Каримова", phone="+998901234567")
    ContactFactory(first_name="Dilnoza", last_name="Karimova")
    ContactFactory(first_name="Aziz", last_name="Rahimov", phone="+998901234567")
    ContactFactory(first_name="Single", last_name="Person")

    groups, total = list_duplicate_groups(viewer=admin)

    assert total == 2
    assert sorted((g.reason, len(g.contacts)) for g in groups) == [("name", 2), ("phone", 2)]


def test_contacts_created_through_service_are_searchable_at_once():
    admin = UserFactory(role="admin")
    create_contact(
        data=ContactInput(
            values={"first_name": "Aziza"}, phones=[PhoneInput(number="+996 700 123 456")]
        ),
        actor=admin,
    )

    assert Contact.objects.count() == 1
    assert list_contacts(viewer=admin, filters=ContactFilters(q="700 123")).count() == 1
