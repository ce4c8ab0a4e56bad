import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hamkor.contacts.models import Company, Contact, FieldType
from hamkor.contacts.selectors import load_list_details
from hamkor.contacts.services import define_custom_field
from tests.activities.factories import InteractionFactory
from tests.contacts.factories import CompanyFactory, ContactFactory, TagFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def contact_form(**overrides):
    data = {
        "first_name": "Dilnoza",
        "last_name": "Karimova",
        "middle_name": "",
        "stage": "customer",
        "language": "uz",
        "time_zone": "Asia/Tashkent",
        "currency": "UZS",
        "phone_number": ["90 123 45 67"],
        "phone_kind": ["mobile"],
        "email_address": [""],
        "email_kind": ["personal"],
    }
    data.update(overrides)
    return data


def test_contact_list_requires_login(client):
    response = client.get(reverse("contacts:list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_contact_list_finds_by_name_fragment(client, user):
    ContactFactory(first_name="Dilnoza", last_name="Karimova", owner=user)
    ContactFactory(first_name="Rustam", last_name="Asanov", owner=user)

    response = client.get(reverse("contacts:list"), {"q": "karim"})

    assert "Karimova Dilnoza" in response.content.decode()
    assert "Asanov" not in response.content.decode()


def test_contact_list_finds_local_phone_fragment(client, user):
    ContactFactory(first_name="Dilnoza", owner=user, phone="+998901234567")
    ContactFactory(first_name="Aziza", owner=user, phone="+998935550000")

    response = client.get(reverse("contacts:list"), {"q": "90 123"})

    page = response.content.decode()
    assert "Dilnoza" in page
    assert "Aziza" not in page
    assert "90 123 45 67" in page


def test_contact_list_htmx_returns_only_the_results(client, user):
    ContactFactory(first_name="Dilnoza", owner=user)

    response = client.get(reverse("contacts:list"), {"q": "dilnoza"}, **HTMX)

    page = response.content.decode()
    assert "Dilnoza" in page
    assert "<html" not in page
    assert response["Vary"].count("HX-Request") == 1


def test_contact_list_page_has_search_as_you_type(client, user):
    response = client.get(reverse("contacts:list"))

    page = response.content.decode()
    assert 'hx-trigger="input changed delay:250ms, search"' in page
    assert 'hx-push-url="true"' in page


def test_contact_list_filters_by_tag_and_stage(client, user):
    vip = ContactFactory(first_name="Vip", owner=user, stage="loyal")
    vip.tags.add(TagFactory(name="vip"))
    ContactFactory(first_name="Plain", owner=user, stage="loyal")

    response = client.get(reverse("contacts:list"), {"tag": "vip", "stage": "loyal"})

    assert "Vip" in response.content.decode()
    assert "Plain" not in response.content.decode()


def test_contact_list_filters_by_custom_field(client, user):
    define_custom_field(
        entity="contact",
        key="size",
        label="Cake size",
        field_type=FieldType.CHOICE,
        choices=["small", "large"],
    )
    ContactFactory(first_name="Large", owner=user, custom_fields={"size": "large"})
    ContactFactory(first_name="Small", owner=user, custom_fields={"size": "small"})

    response = client.get(reverse("contacts:list"), {"cf_size": "large"})

    assert "Large" in response.content.decode()
    assert "Small" not in response.content.decode()


def test_contact_list_bad_number_filter_warns_instead_of_failing(client, user):
    define_custom_field(entity="contact", key="spent", label="Spent", field_type=FieldType.NUMBER)
    ContactFactory(first_name="Dilnoza", owner=user)

    response = client.get(reverse("contacts:list"), {"cf_spent": "lots"})

    assert response.status_code == 200
    assert "must be a number" in response.content.decode()


def test_contact_list_paginates_by_25(client, user):
    ContactFactory.create_batch(30, owner=user)

    first = client.get(reverse("contacts:list"))
    second = client.get(reverse("contacts:list"), {"page": 2})

    assert len(first.context["page_obj"].object_list) == 25
    assert len(second.context["page_obj"].object_list) == 5
    assert "Page 1 of 2" in first.content.decode()


def test_contact_list_sorts_newest_first(client, user):
    ContactFactory(first_name="Older", last_name="A", owner=user)
    ContactFactory(first_name="Newer", last_name="Z", owner=user)

    response = client.get(reverse("contacts:list"), {"sort": "-created"})

    page = response.content.decode()
    assert page.index("Newer") < page.index("Older")


def test_create_contact_with_local_phone_stores_e164(client, user):
    response = client.post(reverse("contacts:create"), contact_form(tags="vip, cakes"))

    contact = Contact.objects.get(first_name="Dilnoza")
    assert response.status_code == 302
    assert response.url == reverse("contacts:detail", args=[contact.pk])
    assert list(contact.phones.values_list("number", flat=True)) == ["+998901234567"]
    assert sorted(contact.tags.values_list("name", flat=True)) == ["cakes", "vip"]
    assert contact.owner == user


def test_create_contact_with_several_phones_and_emails(client, user):
    client.post(
        reverse("contacts:create"),
        contact_form(
            phone_number=["90 123 45 67", "+996 555 123 456"],
            phone_kind=["mobile", "work"],
            email_address=["d@example.com", "dilnoza@shop.uz"],
            email_kind=["personal", "work"],
        ),
    )

    contact = Contact.objects.get(first_name="Dilnoza")
    assert contact.phones.count() == 2
    assert sorted(contact.emails.values_list("email", flat=True)) == [
        "d@example.com",
        "dilnoza@shop.uz",
    ]


def test_create_contact_invalid_phone_shows_error_and_keeps_typed_values(client, user):
    response = client.post(
        reverse("contacts:create"),
        contact_form(phone_number=["12"], city="Tashkent", notes="Likes honey cake"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "“12” is not" in page
    assert 'value="12"' in page
    assert 'value="Dilnoza"' in page
    assert 'value="Tashkent"' in page
    assert "Likes honey cake" in page
    assert not Contact.objects.filter(first_name="Dilnoza").exists()


def test_create_contact_missing_first_name_shows_field_error(client, user):
    response = client.post(reverse("contacts:create"), contact_form(first_name=""))

    assert response.status_code == 200
    assert response.context["form"].errors["first_name"]


def test_create_contact_custom_field_error_is_shown_beside_the_field(client, user):
    define_custom_field(entity="contact", key="spent", label="Spent", field_type=FieldType.NUMBER)

    response = client.post(reverse("contacts:create"), contact_form(cf_spent="a lot"))

    assert response.context["form"].errors["cf_spent"] == ["“Spent” must be a number."]
    assert 'value="a lot"' in response.content.decode()


def test_create_contact_saves_custom_field(client, user):
    define_custom_field(entity="contact", key="spent", label="Spent", field_type=FieldType.NUMBER)

    client.post(reverse("contacts:create"), contact_form(cf_spent="1 250 000"))

    assert Contact.objects.get(first_name="Dilnoza").custom_fields == {"spent": 1250000}


def test_create_contact_warns_of_same_phone_and_saves_only_when_confirmed(client, user):
    existing = ContactFactory(
        first_name="Dilnoza", last_name="K.", owner=user, phone="+998901234567"
    )

    warned = client.post(reverse("contacts:create"), contact_form(first_name="Dila"))
    confirmed = client.post(
        reverse("contacts:create"), contact_form(first_name="Dila", save_anyway="1")
    )

    assert warned.status_code == 200
    assert existing.full_name in warned.content.decode()
    assert "same phone" in warned.content.decode()
    assert confirmed.status_code == 302
    assert Contact.objects.filter(first_name="Dila").count() == 1


def test_similar_endpoint_lists_contact_with_same_phone(client, user):
    ContactFactory(first_name="Dilnoza", owner=user, phone="+998901234567")

    response = client.get(reverse("contacts:similar"), {"phone_number": "90 123 45 67"}, **HTMX)

    assert "Dilnoza" in response.content.decode()
    assert "same phone" in response.content.decode()


def test_similar_endpoint_ignores_other_teams_contacts(client, user, stranger):
    ContactFactory(first_name="Hidden", owner=stranger, phone="+998901234567")

    response = client.get(reverse("contacts:similar"), {"phone_number": "90 123 45 67"}, **HTMX)

    assert "Hidden" not in response.content.decode()


def test_form_row_returns_an_empty_phone_input(client, user):
    response = client.get(reverse("contacts:form_row", args=["phone"]), **HTMX)

    assert 'name="phone_number"' in response.content.decode()


def test_edit_contact_replaces_phones_and_keeps_others(client, user):
    contact = ContactFactory(first_name="Dilnoza", owner=user, phone="+998901234567")

    response = client.post(
        reverse("contacts:edit", args=[contact.pk]),
        contact_form(phone_number=["93 555 00 00", ""], phone_kind=["mobile", "mobile"]),
    )

    assert response.status_code == 302
    assert list(contact.phones.values_list("number", flat=True)) == ["+998935550000"]


def test_edit_form_shows_current_values(client, user):
    contact = ContactFactory(first_name="Dilnoza", owner=user, phone="+998901234567")

    response = client.get(reverse("contacts:edit", args=[contact.pk]))

    assert 'value="+998901234567"' in response.content.decode()
    assert 'value="Dilnoza"' in response.content.decode()


def test_contact_detail_shows_phones_and_timeline(client, user):
    contact = ContactFactory(first_name="Dilnoza", owner=user, phone="+998901234567")
    InteractionFactory(contact=contact, subject="Asked about a birthday cake")

    response = client.get(reverse("contacts:detail", args=[contact.pk]))

    page = response.content.decode()
    assert "90 123 45 67" in page
    assert "Asked about a birthday cake" in page
    assert 'id="log-form"' in page


def test_contact_detail_timeline_filters_by_channel(client, user):
    contact = ContactFactory(owner=user)
    InteractionFactory(contact=contact, channel="phone", subject="A call")
    InteractionFactory(contact=contact, channel="visit", subject="A visit")

    response = client.get(reverse("contacts:detail", args=[contact.pk]), {"channel": "visit"})

    assert "A visit" in response.content.decode()
    assert "A call" not in response.content.decode()


def test_archive_contact_hides_it_from_the_list(client, user):
    contact = ContactFactory(first_name="Gone", owner=user)

    response = client.post(reverse("contacts:archive", args=[contact.pk]), follow=True)

    assert "Karimova Gone was archived" in response.content.decode()
    assert "Gone" not in client.get(reverse("contacts:list")).content.decode()


def test_record_consent_shows_on_detail(client, user):
    contact = ContactFactory(owner=user)

    response = client.post(
        reverse("contacts:consent", args=[contact.pk]),
        {"channel": "sms", "granted": "no", "method": "phone", "note": ""},
        follow=True,
    )

    assert contact.consents.get().granted is False
    assert "does not agree" in response.content.decode()


def test_duplicates_page_lists_contacts_sharing_a_phone(client, user):
    ContactFactory(first_name="Dilnoza", owner=user, phone="+998901234567")
    ContactFactory(first_name="Dila", owner=user, phone="+998901234567")

    response = client.get(reverse("contacts:duplicates"))

    page = response.content.decode()
    assert "Same phone" in page
    assert "Dilnoza" in page
    assert "Dila" in page


def test_merge_review_then_merge_keeps_the_chosen_contact(client, user):
    keep = ContactFactory(first_name="Keep", owner=user, phone="+998901234567")
    drop = ContactFactory(first_name="Drop", owner=user, phone="+998901234567")
    InteractionFactory(contact=drop, subject="Old call")

    review = client.get(
        reverse("contacts:merge_review"), {"ids": [keep.pk, drop.pk], "keep": keep.pk}
    )
    response = client.post(
        reverse("contacts:merge"), {"ids": [keep.pk, drop.pk], "keep": keep.pk}, follow=True
    )

    assert review.status_code == 200
    assert "Merge" in review.content.decode()
    assert "1 contact was merged into" in response.content.decode()
    assert "Old call" in response.content.decode()
    drop.refresh_from_db()
    assert drop.merged_into == keep


def test_merge_is_post_only(client, user):
    keep, drop = ContactFactory(owner=user), ContactFactory(owner=user)

    response = client.get(reverse("contacts:merge"), {"ids": [keep.pk, drop.pk], "keep": keep.pk})

    assert response.status_code == 405


def test_create_company_with_invalid_phone_shows_field_error(client, user):
    response = client.post(reverse("contacts:company_create"), {"name": "Shirin", "phone": "12"})

    assert response.context["form"].errors["phone"]
    assert 'value="Shirin"' in response.content.decode()


def test_create_company_then_see_it_with_its_contacts(client, user):
    response = client.post(
        reverse("contacts:company_create"), {"name": "Shirin LLC", "phone": "71 200 00 00"}
    )
    company = Company.objects.get(name="Shirin LLC")
    ContactFactory(first_name="Employee", owner=user, company=company)

    page = client.get(response.url).content.decode()

    assert response.url == reverse("contacts:company_detail", args=[company.pk])
    assert company.phone == "+998712000000"
    assert "Employee" in page


def test_company_list_search_htmx_returns_results_only(client, user):
    CompanyFactory(name="Shirin LLC", owner=user)
    CompanyFactory(name="Bishkek Web", owner=user)

    response = client.get(reverse("contacts:company_list"), {"q": "shirin"}, **HTMX)

    page = response.content.decode()
    assert "Shirin LLC" in page
    assert "Bishkek Web" not in page
    assert "<html" not in page


def test_company_detail_shows_company_timeline(client, user):
    company = CompanyFactory(owner=user)
    contact = ContactFactory(owner=user, company=company)
    InteractionFactory(contact=contact, company=company, subject="Signed the contract")

    response = client.get(reverse("contacts:company_detail", args=[company.pk]))

    assert "Signed the contract" in response.content.decode()


def test_load_list_details_fetches_phones_in_one_query(django_assert_num_queries, user):
    contacts = [ContactFactory(owner=user, phone=f"+99890123456{i}") for i in range(3)]
    fresh = list(Contact.objects.filter(pk__in=[c.pk for c in contacts]))

    with django_assert_num_queries(2):
        load_list_details(fresh)
        numbers = [p.number for c in fresh for p in c.phones.all()]

    assert len(numbers) == 3


# --- visibility: another team's records do not exist for a sales user -------------------


def test_other_teams_contact_is_not_listed(client, user, stranger):
    ContactFactory(first_name="Hidden", owner=stranger)

    response = client.get(reverse("contacts:list"), {"q": "hidden"})

    assert "Hidden" not in response.content.decode()


def test_other_teams_contact_detail_is_404(client, user, stranger):
    contact = ContactFactory(owner=stranger)

    assert client.get(reverse("contacts:detail", args=[contact.pk])).status_code == 404


def test_other_teams_contact_cannot_be_edited(client, user, stranger):
    contact = ContactFactory(first_name="Hidden", owner=stranger)

    response = client.post(reverse("contacts:edit", args=[contact.pk]), contact_form())

    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.first_name == "Hidden"


def test_other_teams_contact_cannot_be_archived(client, user, stranger):
    contact = ContactFactory(owner=stranger)

    response = client.post(reverse("contacts:archive", args=[contact.pk]))

    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.archived_at is None


def test_other_teams_contact_cannot_be_merged(client, user, stranger):
    mine = ContactFactory(owner=user, phone="+998901234567")
    theirs = ContactFactory(owner=stranger, phone="+998901234567")

    response = client.post(
        reverse("contacts:merge"), {"ids": [mine.pk, theirs.pk], "keep": mine.pk}
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.merged_into is None


def test_other_teams_company_detail_is_404(client, user, stranger):
    company = CompanyFactory(owner=stranger)

    assert client.get(reverse("contacts:company_detail", args=[company.pk])).status_code == 404


def test_other_teams_company_cannot_be_chosen_for_a_contact(client, user, stranger):
    theirs = CompanyFactory(owner=stranger)

    response = client.post(reverse("contacts:create"), contact_form(company=theirs.pk))

    assert response.context["form"].errors["company"]
    assert not Contact.objects.exists()


def test_other_teams_company_cannot_be_edited(client, user, stranger):
    company = CompanyFactory(name="Theirs", owner=stranger)

    response = client.post(reverse("contacts:company_edit", args=[company.pk]), {"name": "Mine"})

    assert response.status_code == 404
    company.refresh_from_db()
    assert company.name == "Theirs"


def _next_link(page):
    match = re.search(r'href="\?([^"]*after=[^"]*)"', page)
    return html.unescape(match.group(1)) if match else None


def test_contact_list_next_links_show_every_contact_once(client, user):
    # Namesakes tie on the sort key; the id keeps them apart across page edges.
    ContactFactory.create_batch(30, owner=user, first_name="Dilnoza", last_name="Karimova")
    ContactFactory.create_batch(30, owner=user)

    seen, query, pages = [], "", 0
    while query is not None:
        response = client.get(reverse("contacts:list") + "?" + query)
        seen += [c.pk for c in response.context["page_obj"].object_list]
        query = _next_link(response.content.decode())
        pages += 1

    assert sorted(seen) == sorted(Contact.objects.values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) == 60
    assert pages == 3
    assert "Page 3 of 3" in response.content.decode()


def test_contact_list_previous_link_returns_to_the_first_page(client, user):
    ContactFactory.create_batch(30, owner=user)
    first = client.get(reverse("contacts:list"))
    second = client.get(reverse("contacts:list") + "?" + _next_link(first.content.decode()))

    previous = re.search(r'href="\?([^"]*before=[^"]*)"', second.content.decode()).group(1)
    back = client.get(reverse("contacts:list") + "?" + html.unescape(previous))

    assert back.context["page_obj"].object_list == first.context["page_obj"].object_list
    assert "Page 1 of 2" in back.content.decode()


def test_contact_list_next_link_keeps_search_and_sort(client, user):
    ContactFactory.create_batch(30, owner=user, last_name="Karimova")
    ContactFactory.create_batch(5, owner=user, last_name="Yusupova")

    first = client.get(reverse("contacts:list"), {"q": "karim", "sort": "-created"})
    second = client.get(reverse("contacts:list") + "?" + _next_link(first.content.decode()))

    assert len(second.context["page_obj"].object_list) == 5
    assert {c.last_name for c in second.context["page_obj"].object_list} == {"Karimova"}


def test_contact_list_stale_cursor_shows_the_first_page(client, user):
    ContactFactory.create_batch(3, owner=user)

    response = client.get(reverse("contacts:list"), {"after": "garbled"})

    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 3


def test_contact_list_caps_the_count(client, user, monkeypatch):
    monkeypatch.setattr("hamkor.core.paging.COUNT_CAP", 30)
    ContactFactory.create_batch(31, owner=user)

    page = client.get(reverse("contacts:list")).content.decode()

    assert "30+ contacts" in page


def test_contact_list_counts_exactly_up_to_the_cap(client, user, monkeypatch):
    monkeypatch.setattr("hamkor.core.paging.COUNT_CAP", 30)
    ContactFactory.create_batch(30, owner=user)

    page = client.get(reverse("contacts:list")).content.decode()

    assert "30 contacts" in page
    assert "30+" not in page


def test_contact_search_counts_matches_up_to_its_own_cap(client, user, monkeypatch):
    monkeypatch.setattr("hamkor.contacts.views.contacts.SEARCH_COUNT_CAP", 26)
    ContactFactory.create_batch(27, owner=user, last_name="Karimova")

    searched = client.get(reverse("contacts:list"), {"q": "Karim"}).content.decode()
    listed = client.get(reverse("contacts:list")).content.decode()

    assert "26+ contacts" in searched
    assert "27 contacts" in listed


def test_contact_list_on_one_page_is_counted_without_a_count_query(client, user):
    ContactFactory.create_batch(3, owner=user, last_name="Karimova")
    client.get(reverse("contacts:list"), {"q": "Karim"})  # session and caches warm

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("contacts:list"), {"q": "Karim"}).content.decode()

    assert "3 contacts" in page
    assert not [
        q
        for q in queries.captured_queries
        if "COUNT(" in q["sql"] and "contacts_contact" in q["sql"]
    ]


def test_company_list_next_links_show_every_company_once(client, user):
    CompanyFactory.create_batch(27, owner=user, name="Same name")

    first = client.get(reverse("contacts:company_list"))
    second = client.get(reverse("contacts:company_list") + "?" + _next_link(first.content.decode()))

    seen = [c.pk for c in first.context["page_obj"].object_list] + [
        c.pk for c in second.context["page_obj"].object_list
    ]
    assert sorted(seen) == sorted(Company.objects.values_list("pk", flat=True))
    assert _next_link(second.content.decode()) is None
