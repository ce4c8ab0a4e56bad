import datetime
import typing

import pytest
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.activities.models import Channel
from hamkor.contacts import schemas
from hamkor.contacts.models import (
    Company,
    ConsentChannel,
    ConsentMethod,
    Contact,
    ContactEmail,
    ContactPhone,
    Entity,
    FieldType,
    ImportantDate,
    Language,
    Stage,
)
from hamkor.contacts.selectors import COMPANY_ORDERINGS, CONTACT_ORDERINGS
from hamkor.contacts.services import define_custom_field
from tests.accounts.factories import TeamFactory, UserFactory
from tests.activities.factories import InteractionFactory
from tests.api.helpers import api_client, send
from tests.contacts.factories import CompanyFactory, ContactFactory, SourceFactory, TagFactory

pytestmark = pytest.mark.django_db

CONTACTS = "/api/v1/contacts"
COMPANIES = "/api/v1/companies"


@pytest.fixture
def seller():
    return UserFactory(role=Role.SALES, team=TeamFactory(name="Team A"))


@pytest.fixture
def rival():
    """A sales user of another team."""
    return UserFactory(role=Role.SALES, team=TeamFactory(name="Team B"))


@pytest.fixture
def client(seller):
    return api_client(seller)


# --- schemas stay in step with the models -----------------------------------------------


@pytest.mark.parametrize(
    ("literal", "choices"),
    [
        (schemas.StageValue, Stage.values),
        (schemas.LanguageValue, Language.values),
        (schemas.PhoneKindValue, ContactPhone.Kind.values),
        (schemas.EmailKindValue, ContactEmail.Kind.values),
        (schemas.DateKindValue, ImportantDate.Kind.values),
        (schemas.ConsentChannelValue, ConsentChannel.values),
        (schemas.ConsentMethodValue, ConsentMethod.values),
        (schemas.ContactOrderingValue, list(CONTACT_ORDERINGS)),
        (schemas.CompanyOrderingValue, list(COMPANY_ORDERINGS)),
    ],
)
def test_schema_choices_match_model_choices(literal, choices):
    assert sorted(typing.get_args(literal)) == sorted(choices)


# --- create -----------------------------------------------------------------------------


def test_create_contact_normalizes_local_phone_and_makes_caller_owner(client, seller):
    response = send(
        client,
        "post",
        CONTACTS,
        {"first_name": "Dilnoza", "last_name": "Karimova", "phones": [{"number": "90 123 45 67"}]},
    )

    assert response.status_code == 201
    body = response.json()
    assert body["phones"] == [{"number": "+998901234567", "kind": "mobile", "is_primary": True}]
    assert body["owner"]["id"] == seller.pk
    assert body["full_name"] == "Karimova Dilnoza"


def test_create_contact_stores_every_field(client, seller):
    company = CompanyFactory(owner=seller)
    source = SourceFactory(name="Instagram")
    define_custom_field(entity=Entity.CONTACT, key="vip", label="VIP", field_type=FieldType.BOOLEAN)
    payload = {
        "first_name": "Aziz",
        "last_name": "Rahimov",
        "phones": [{"number": "+996 555 123 456", "kind": "work"}],
        "emails": [{"email": "Aziz@Example.com", "kind": "work"}],
        "tags": ["wholesale", "vip"],
        "birthday": "1990-05-17",
        "important_dates": [{"kind": "anniversary", "date": "2015-06-01", "label": "Wedding"}],
        "language": "ru",
        "time_zone": "Asia/Bishkek",
        "currency": "kgs",
        "stage": "customer",
        "source_id": source.pk,
        "company_id": company.pk,
        "custom_fields": {"vip": "yes"},
    }

    response = send(client, "post", CONTACTS, payload)

    assert response.status_code == 201
    body = response.json()
    assert body["phones"][0]["number"] == "+996555123456"
    assert body["emails"] == [{"email": "aziz@example.com", "kind": "work", "is_primary": True}]
    assert sorted(body["tags"]) == ["vip", "wholesale"]
    assert body["birthday"] == "1990-05-17"
    assert body["important_dates"] == [
        {"kind": "anniversary", "label": "Wedding", "date": "2015-06-01"}
    ]
    assert (body["language"], body["time_zone"], body["currency"]) == ("ru", "Asia/Bishkek", "KGS")
    assert body["stage"] == "customer"
    assert body["source"] == {"id": source.pk, "name": "Instagram"}
    assert body["company"] == {"id": company.pk, "name": company.name}
    assert body["custom_fields"] == {"vip": True}


def test_create_contact_rejects_invalid_phone_naming_the_field(client):
    response = send(client, "post", CONTACTS, {"first_name": "Aziz", "phones": [{"number": "12"}]})

    assert response.status_code == 422
    assert response.json()["detail"].startswith("phones:")
    assert "“12”" in response.json()["detail"]


def test_create_contact_rejects_invalid_email_naming_the_field(client):
    response = send(
        client, "post", CONTACTS, {"first_name": "Aziz", "emails": [{"email": "not-an-email"}]}
    )

    assert response.status_code == 422
    assert response.json()["detail"].startswith("emails:")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"first_name": "A", "birthday": "1990-13-45"}, "birthday"),
        ({"first_name": "A", "birthday": "2999-01-01"}, "birthday"),
        ({"first_name": "A", "time_zone": "Mars/Olympus"}, "time_zone"),
        ({"first_name": "A", "currency": "XYZ"}, "currency"),
        ({"first_name": "A", "stage": "hot"}, "stage"),
        ({"first_name": 5}, "first_name"),
        ({"first_name": ""}, "first_name"),
        ({"last_name": "No first name"}, "first_name"),
        ({"first_name": "A\x00B"}, "first_name"),
        ({"first_name": "A", "phones": "+998901234567"}, "phones"),
        ({"first_name": "A", "phones": ["+998901234567"]}, "phones.0: Send a JSON object."),
        ({"first_name": "A", "custom_fields": {"unknown": "x"}}, "custom_fields"),
    ],
)
def test_create_contact_rejects_bad_input_with_detail(client, payload, field):
    response = send(client, "post", CONTACTS, payload)

    assert response.status_code == 422
    assert field in response.json()["detail"]


def test_create_contact_rejects_malformed_json(client):
    response = client.post(CONTACTS, data="{first_name: ", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"] == "The request body is not valid JSON."


@pytest.mark.parametrize("body", ["[]", '"Aziz"', "null", "42"])
def test_update_contact_rejects_a_body_that_is_not_an_object(client, seller, body):
    contact = ContactFactory(owner=seller)

    response = client.patch(f"{CONTACTS}/{contact.pk}", data=body, content_type="application/json")

    assert response.status_code == 422
    assert response.json()["detail"] == "Send a JSON object."


def test_create_contact_rejects_company_the_caller_cannot_see(client, rival):
    hidden = CompanyFactory(owner=rival)

    response = send(client, "post", CONTACTS, {"first_name": "A", "company_id": hidden.pk})

    assert response.status_code == 422
    assert response.json()["detail"].startswith("company_id:")


def test_create_contact_rejects_unknown_source(client):
    response = send(client, "post", CONTACTS, {"first_name": "A", "source_id": 999_999})

    assert response.status_code == 422
    assert response.json()["detail"].startswith("source_id:")


def test_create_contact_rejects_owner_from_another_team(client, rival):
    response = send(client, "post", CONTACTS, {"first_name": "A", "owner_id": rival.pk})

    assert response.status_code == 422
    assert response.json()["detail"].startswith("owner_id:")


def test_manager_creates_contact_for_any_seller(rival):
    manager = UserFactory(role=Role.MANAGER)

    response = send(
        api_client(manager), "post", CONTACTS, {"first_name": "A", "owner_id": rival.pk}
    )

    assert response.status_code == 201
    assert response.json()["owner"]["id"] == rival.pk
    assert response.json()["team_id"] == rival.team_id


# --- list -------------------------------------------------------------------------------


def test_list_contacts_returns_items_and_count_of_own_team_only(client, seller, rival):
    teammate = UserFactory(team=seller.team)
    mine = ContactFactory(owner=seller)
    ours = ContactFactory(owner=teammate)
    ContactFactory(owner=rival)

    response = client.get(CONTACTS)

    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert {item["id"] for item in response.json()["items"]} == {mine.pk, ours.pk}


def test_manager_lists_every_team(seller, rival):
    ContactFactory(owner=seller)
    ContactFactory(owner=rival)

    response = api_client(UserFactory(role=Role.MANAGER)).get(CONTACTS)

    assert response.json()["count"] == 2


def test_list_contacts_finds_phone_typed_locally(client, seller):
    wanted = ContactFactory(owner=seller, phone="+998901234567")
    ContactFactory(owner=seller, phone="+998935550000")

    response = client.get(CONTACTS, {"q": "90 123 45"})

    assert [item["id"] for item in response.json()["items"]] == [wanted.pk]


def test_list_contacts_filters_by_tag_stage_city_company_and_owner(client, seller):
    company = CompanyFactory(owner=seller)
    wanted = ContactFactory(owner=seller, stage=Stage.CUSTOMER, city="Osh", company=company)
    wanted.tags.add(TagFactory(name="wholesale"))
    ContactFactory(owner=seller, stage=Stage.CUSTOMER, city="Osh")
    ContactFactory(owner=UserFactory(team=seller.team), stage=Stage.LEAD)

    response = client.get(
        CONTACTS,
        {
            "tag": "wholesale",
            "stage": "customer",
            "city": "osh",
            "company_id": company.pk,
            "owner_id": seller.pk,
        },
    )

    assert [item["id"] for item in response.json()["items"]] == [wanted.pk]


def test_list_contacts_filters_by_custom_field(client, seller):
    define_custom_field(entity=Entity.CONTACT, key="vip", label="VIP", field_type=FieldType.BOOLEAN)
    wanted = ContactFactory(owner=seller, custom_fields={"vip": True})
    ContactFactory(owner=seller, custom_fields={"vip": False})

    response = client.get(CONTACTS, {"cf_vip": "yes"})

    assert [item["id"] for item in response.json()["items"]] == [wanted.pk]


def test_list_contacts_rejects_custom_filter_of_wrong_type(client):
    define_custom_field(
        entity=Entity.CONTACT, key="visits", label="Visits", field_type=FieldType.NUMBER
    )

    response = client.get(CONTACTS, {"cf_visits": "many"})

    assert response.status_code == 422
    assert "Visits" in response.json()["detail"]


def test_list_contacts_orders_and_pages(client, seller):
    first = ContactFactory(owner=seller, last_name="Aliyev")
    second = ContactFactory(owner=seller, last_name="Botirov")
    ContactFactory(owner=seller, last_name="Valiyev")

    response = client.get(CONTACTS, {"ordering": "-name", "limit": 2, "offset": 1})

    assert [item["id"] for item in response.json()["items"]] == [second.pk, first.pk]
    assert response.json()["count"] == 3


def test_list_contacts_rejects_unknown_ordering_with_the_allowed_values(client):
    response = client.get(CONTACTS, {"ordering": "password"})

    assert response.status_code == 422
    assert "ordering" in response.json()["detail"]
    assert "-created" in response.json()["detail"]


@pytest.mark.parametrize("limit", ["0", "201", "10000000000000000000000", "ten"])
def test_list_contacts_rejects_limit_out_of_range(client, limit):
    response = client.get(CONTACTS, {"limit": limit})

    assert response.status_code == 422
    assert "limit" in response.json()["detail"]


def test_list_contacts_hides_archived_unless_asked(client, seller):
    ContactFactory(owner=seller, archived_at=timezone.now())

    default = client.get(CONTACTS)
    archived = client.get(CONTACTS, {"include_archived": "true"})

    assert default.json()["count"] == 0
    assert archived.json()["count"] == 1


# --- read, update, archive --------------------------------------------------------------


def test_get_contact_returns_details(client, seller):
    contact = ContactFactory(owner=seller, phone="+998901234567", email="a@example.com")

    response = client.get(f"{CONTACTS}/{contact.pk}")

    assert response.status_code == 200
    assert response.json()["phones"][0]["number"] == "+998901234567"
    assert response.json()["emails"][0]["email"] == "a@example.com"


@pytest.mark.parametrize("contact_id", ["999999", "-1", "99999999999999999999999999"])
def test_get_missing_contact_is_404(client, contact_id):
    response = client.get(f"{CONTACTS}/{contact_id}")

    assert response.status_code == 404
    assert response.json()["detail"]


def test_update_contact_changes_only_the_fields_sent(client, seller):
    contact = ContactFactory(owner=seller, city="Osh", phone="+998901234567")

    response = send(
        client, "patch", f"{CONTACTS}/{contact.pk}", {"stage": "loyal", "last_name": "Nazarova"}
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["stage"], body["last_name"], body["city"]) == ("loyal", "Nazarova", "Osh")
    assert body["phones"][0]["number"] == "+998901234567"


def test_update_contact_replaces_phones_and_clears_company(client, seller):
    contact = ContactFactory(
        owner=seller, phone="+998901234567", company=CompanyFactory(owner=seller)
    )

    response = send(
        client,
        "patch",
        f"{CONTACTS}/{contact.pk}",
        {"phones": [{"number": "55 512 34 56", "kind": "home"}], "company_id": None},
    )

    assert response.json()["company"] is None
    assert [p["number"] for p in response.json()["phones"]] == ["+998555123456"]


def test_update_contact_rejects_null_for_required_name(client, seller):
    contact = ContactFactory(owner=seller)

    response = send(client, "patch", f"{CONTACTS}/{contact.pk}", {"first_name": None})

    assert response.status_code == 422
    assert "first_name" in response.json()["detail"]


def test_archive_contact_hides_it_from_the_list(client, seller):
    contact = ContactFactory(owner=seller)

    response = client.delete(f"{CONTACTS}/{contact.pk}")

    assert response.status_code == 204
    assert client.get(CONTACTS).json()["count"] == 0
    assert client.get(f"{CONTACTS}/{contact.pk}").json()["archived_at"] is not None


def test_other_teams_contact_cannot_be_read_changed_or_archived(client, rival):
    hidden = ContactFactory(owner=rival, first_name="Secret")

    read = client.get(f"{CONTACTS}/{hidden.pk}")
    changed = send(client, "patch", f"{CONTACTS}/{hidden.pk}", {"first_name": "Mine"})
    archived = client.delete(f"{CONTACTS}/{hidden.pk}")
    timeline = client.get(f"{CONTACTS}/{hidden.pk}/timeline")

    assert [r.status_code for r in (read, changed, archived, timeline)] == [404, 404, 404, 404]
    hidden.refresh_from_db()
    assert (hidden.first_name, hidden.archived_at) == ("Secret", None)


def test_manager_reads_and_changes_any_contact(rival):
    contact = ContactFactory(owner=rival)
    client = api_client(UserFactory(role=Role.ADMIN))

    response = send(client, "patch", f"{CONTACTS}/{contact.pk}", {"city": "Bishkek"})

    assert response.status_code == 200
    assert response.json()["city"] == "Bishkek"


# --- timeline ---------------------------------------------------------------------------


def test_contact_timeline_is_newest_first_and_filtered_by_channel(client, seller):
    contact = ContactFactory(owner=seller)
    now = timezone.now()
    older = InteractionFactory(
        contact=contact, channel=Channel.VISIT, occurred_at=now - datetime.timedelta(days=2)
    )
    newer = InteractionFactory(
        contact=contact, channel=Channel.PHONE, occurred_at=now - datetime.timedelta(days=1)
    )

    everything = client.get(f"{CONTACTS}/{contact.pk}/timeline")
    visits = client.get(f"{CONTACTS}/{contact.pk}/timeline", {"channel": "visit"})

    assert [e["object_id"] for e in everything.json()["items"]] == [newer.pk, older.pk]
    assert [e["object_id"] for e in visits.json()["items"]] == [older.pk]


def test_contact_timeline_pages(client, seller):
    contact = ContactFactory(owner=seller)
    InteractionFactory.create_batch(3, contact=contact)

    first = client.get(f"{CONTACTS}/{contact.pk}/timeline", {"limit": 2})
    rest = client.get(f"{CONTACTS}/{contact.pk}/timeline", {"limit": 2, "offset": 2})

    assert (len(first.json()["items"]), first.json()["has_more"]) == (2, True)
    assert (len(rest.json()["items"]), rest.json()["has_more"]) == (1, False)


def test_contact_timeline_rejects_unknown_channel(client, seller):
    contact = ContactFactory(owner=seller)

    response = client.get(f"{CONTACTS}/{contact.pk}/timeline", {"channel": "pigeon"})

    assert response.status_code == 422
    assert "pigeon" in response.json()["detail"]


# --- duplicates and merge ---------------------------------------------------------------


def test_duplicates_lists_groups_sharing_a_phone(client, seller, rival):
    one = ContactFactory(owner=seller, first_name="Aziz", phone="+998901234567")
    two = ContactFactory(owner=seller, first_name="Bobur", phone="+998901234567")
    ContactFactory(owner=rival, first_name="Hidden", phone="+998901234567")

    response = client.get(f"{CONTACTS}/duplicates")

    assert response.status_code == 200
    phone_groups = [g for g in response.json()["items"] if g["reason"] == "phone"]
    assert phone_groups[0]["value"] == "+998901234567"
    assert [c["id"] for c in phone_groups[0]["contacts"]] == [one.pk, two.pk]
    assert phone_groups[0]["contacts"][0]["phones"] == ["+998901234567"]


def test_merge_keeps_the_contact_and_archives_the_other(client, seller):
    keep = ContactFactory(owner=seller, city="")
    other = ContactFactory(owner=seller, city="Namangan")
    InteractionFactory(contact=other)

    response = send(client, "post", f"{CONTACTS}/{keep.pk}/merge", {"other_id": other.pk})

    assert response.status_code == 200
    assert response.json()["id"] == keep.pk
    assert response.json()["city"] == "Namangan"
    assert len(client.get(f"{CONTACTS}/{keep.pk}/timeline").json()["items"]) == 1
    assert client.get(f"{CONTACTS}/{other.pk}").json()["merged_into_id"] == keep.pk


def test_merge_with_a_contact_of_another_team_is_404(client, seller, rival):
    keep = ContactFactory(owner=seller)
    hidden = ContactFactory(owner=rival)

    into_hidden = send(client, "post", f"{CONTACTS}/{hidden.pk}/merge", {"other_id": keep.pk})
    from_hidden = send(client, "post", f"{CONTACTS}/{keep.pk}/merge", {"other_id": hidden.pk})

    assert (into_hidden.status_code, from_hidden.status_code) == (404, 404)
    hidden.refresh_from_db()
    assert hidden.merged_into_id is None


def test_merge_with_itself_is_422(client, seller):
    contact = ContactFactory(owner=seller)

    response = send(client, "post", f"{CONTACTS}/{contact.pk}/merge", {"other_id": contact.pk})

    assert response.status_code == 422
    assert response.json()["detail"]


def test_merge_of_an_already_merged_contact_is_422(client, seller):
    keep, other, third = ContactFactory.create_batch(3, owner=seller)
    send(client, "post", f"{CONTACTS}/{keep.pk}/merge", {"other_id": other.pk})

    response = send(client, "post", f"{CONTACTS}/{third.pk}/merge", {"other_id": other.pk})

    assert response.status_code == 422
    assert "already merged" in response.json()["detail"]


# --- companies --------------------------------------------------------------------------


def test_create_company_normalizes_phone(client, seller):
    response = send(
        client,
        "post",
        COMPANIES,
        {"name": "Baraka Savdo", "phone": "71 200 00 00", "tags": ["b2b"]},
    )

    assert response.status_code == 201
    assert response.json()["phone"] == "+998712000000"
    assert response.json()["tags"] == ["b2b"]
    assert response.json()["owner"]["id"] == seller.pk


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "X", "phone": "12"}, "phone"),
        ({"name": "X", "email": "nope"}, "email"),
        ({"name": "X", "website": "not a url"}, "website"),
        ({"name": ""}, "name"),
        ({"legal_name": "No name"}, "name"),
    ],
)
def test_create_company_rejects_bad_input_naming_the_field(client, payload, field):
    response = send(client, "post", COMPANIES, payload)

    assert response.status_code == 422
    assert field in response.json()["detail"]


def test_list_companies_searches_and_hides_other_teams(client, seller, rival):
    wanted = CompanyFactory(owner=seller, name="Baraka Savdo")
    CompanyFactory(owner=seller, name="Osiyo Trans")
    CompanyFactory(owner=rival, name="Baraka Hidden")

    response = client.get(COMPANIES, {"q": "baraka"})

    assert response.json()["count"] == 1
    assert response.json()["items"][0]["id"] == wanted.pk


def test_update_company_and_archive_it(client, seller):
    company = CompanyFactory(owner=seller)

    updated = send(client, "patch", f"{COMPANIES}/{company.pk}", {"city": "Samarkand"})
    archived = client.delete(f"{COMPANIES}/{company.pk}")

    assert updated.json()["city"] == "Samarkand"
    assert archived.status_code == 204
    assert client.get(COMPANIES).json()["count"] == 0


def test_other_teams_company_cannot_be_read_changed_or_archived(client, rival):
    hidden = CompanyFactory(owner=rival, name="Secret")

    read = client.get(f"{COMPANIES}/{hidden.pk}")
    changed = send(client, "patch", f"{COMPANIES}/{hidden.pk}", {"name": "Mine"})
    archived = client.delete(f"{COMPANIES}/{hidden.pk}")
    timeline = client.get(f"{COMPANIES}/{hidden.pk}/timeline")

    assert [r.status_code for r in (read, changed, archived, timeline)] == [404, 404, 404, 404]
    hidden.refresh_from_db()
    assert (hidden.name, hidden.archived_at) == ("Secret", None)


def test_company_timeline_shows_its_contacts_interactions(client, seller):
    company = CompanyFactory(owner=seller)
    interaction = InteractionFactory(contact=ContactFactory(owner=seller), company=company)

    response = client.get(f"{COMPANIES}/{company.pk}/timeline")

    assert [e["object_id"] for e in response.json()["items"]] == [interaction.pk]


def test_list_contacts_next_cursor_walks_every_contact_once(client, seller):
    ContactFactory.create_batch(5, owner=seller, first_name="Dilnoza", last_name="Karimova")
    ContactFactory.create_batch(4, owner=seller)

    seen, after = [], ""
    while after is not None:
        body = client.get(CONTACTS, {"limit": 2, "after": after}).json()
        seen += [item["id"] for item in body["items"]]
        after = body["next"]

    assert seen == list(
        Contact.objects.order_by("last_name", "first_name", "id").values_list("pk", flat=True)
    )
    assert body["count"] == 9
    assert body["count_capped"] is False


def test_list_contacts_caps_the_count(client, seller, monkeypatch):
    monkeypatch.setattr("hamkor.core.paging.COUNT_CAP", 3)
    ContactFactory.create_batch(4, owner=seller)

    body = client.get(CONTACTS).json()

    assert body["count"] == 3
    assert body["count_capped"] is True
    assert len(body["items"]) == 4


def test_list_contacts_rejects_a_bad_cursor(client):
    response = client.get(CONTACTS, {"after": "garbled"})

    assert response.status_code == 422
    assert "after" in response.json()["errors"]


def test_list_contacts_rejects_after_with_offset(client, seller):
    ContactFactory.create_batch(3, owner=seller)
    after = client.get(CONTACTS, {"limit": 1}).json()["next"]

    response = client.get(CONTACTS, {"after": after, "offset": 1})

    assert response.status_code == 422


def test_list_companies_next_cursor_walks_every_company_once(client, seller):
    CompanyFactory.create_batch(3, owner=seller, name="Same name")

    first = client.get(COMPANIES, {"limit": 2}).json()
    second = client.get(COMPANIES, {"limit": 2, "after": first["next"]}).json()

    ids = [item["id"] for item in first["items"] + second["items"]]
    assert sorted(ids) == sorted(Company.objects.values_list("pk", flat=True))
    assert second["next"] is None
