import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.contacts.models import Contact, FieldType
from hamkor.contacts.selectors import (
    ContactFilters,
    find_similar_contacts,
    get_contact,
    list_companies,
    list_contact_parts,
    list_contacts,
    list_duplicate_groups,
)
from hamkor.contacts.services import ContactInput, PhoneInput, create_contact, define_custom_field
from hamkor.core.paging import count_up_to, keyset_page
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


@pytest.fixture
def seller_lists(two_teams):
    """Team A's contacts, one seller A owns in team B, and team B's own, with shared names."""
    seller_a, colleague_a, seller_b = two_teams
    ContactFactory.create_batch(4, owner=colleague_a, first_name="Aziza", last_name="Karimova")
    ContactFactory.create_batch(3, owner=seller_a, first_name="Aziza", last_name="Karimova")
    ContactFactory(owner=seller_a, team=seller_b.team, first_name="Aziza", last_name="Karimova")
    ContactFactory(owner=seller_a, team=None, first_name="Bobur", last_name="Aliyev")
    ContactFactory.create_batch(3, owner=seller_b, first_name="Aziza", last_name="Karimova")
    ContactFactory(owner=colleague_a, first_name="Zarina", archived_at=timezone.now())
    return seller_a


@pytest.mark.parametrize("ordering", ["name", "-name", "-created", "updated"])
@pytest.mark.parametrize("limit", [1, 2, 4, 25])
def test_list_contact_parts_page_through_every_visible_contact_once(seller_lists, ordering, limit):
    expected = list(
        list_contacts(viewer=seller_lists, ordering=ordering).values_list("pk", flat=True)
    )
    parts = list_contact_parts(viewer=seller_lists, ordering=ordering)

    seen, after = [], ""
    while True:
        page = keyset_page(parts, limit=limit, after=after)
        seen += [c.pk for c in page.object_list]
        if not page.has_next:
            break
        after = page.next_cursor

    assert seen == expected
    assert len(expected) == 9


def test_list_contact_parts_count_like_the_list(seller_lists):
    parts = list_contact_parts(viewer=seller_lists)

    assert count_up_to(parts) == (9, False)
    assert count_up_to(parts, cap=5) == (5, True)


def test_list_contact_parts_go_back_a_page(seller_lists):
    parts = list_contact_parts(viewer=seller_lists)
    first = keyset_page(parts, limit=4)
    second = keyset_page(parts, limit=4, after=first.next_cursor)

    back = keyset_page(parts, limit=4, before=second.previous_cursor)

    assert back.object_list == first.object_list


def test_list_contact_parts_at_an_offset_match_the_list(seller_lists):
    parts = list_contact_parts(viewer=seller_lists)

    page = keyset_page(parts, limit=3, offset=3)

    assert page.object_list == list(list_contacts(viewer=seller_lists)[3:6])


def test_list_contact_parts_search_within_visible_contacts(seller_lists):
    parts = list_contact_parts(viewer=seller_lists, filters=ContactFilters(q="aziza"))

    found = keyset_page(parts, limit=25).object_list

    assert len(found) == 8
    assert all(c.owner == seller_lists or c.team == seller_lists.team for c in found)


def test_list_contact_parts_is_one_list_for_a_manager(seller_lists):
    manager = UserFactory(role=Role.MANAGER)

    parts = list_contact_parts(viewer=manager)

    assert len(parts) == 1
    assert parts[0].count() == 12
