"""The contact and company pickers: suggestions as you type, and the form field behind them."""

import pytest
from django import forms
from django.urls import reverse

from hamkor.contacts.forms.pickers import CompanyPickerField, ContactPickerField
from hamkor.contacts.selectors import list_companies, list_contacts
from tests.contacts.factories import CompanyFactory, ContactFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _pick(client, kind, text, field=None):
    field = field or kind
    params = {"field": field, "input": f"id_{field}", f"{field}_q": text}
    return client.get(reverse("contacts:pick", args=[kind]), params, **HTMX)


def test_pick_contact_offers_namesakes_with_phone_and_company(client, user):
    shop = CompanyFactory(name="Shirin Sweets", owner=user)
    ContactFactory(first_name="Dilnoza", last_name="Karimova", owner=user, phone="+998901234567")
    ContactFactory(
        first_name="Dilnoza",
        last_name="Karimova",
        owner=user,
        phone="+998935550000",
        company=shop,
    )

    response = _pick(client, "contact", "karimova dil")

    assert response.status_code == 200
    assert response.text.count('role="option"') == 2
    assert "90 123 45 67" in response.text
    assert "93 555 00 00" in response.text
    assert "Shirin Sweets" in response.text
    assert "2 matches" in response.text


def test_pick_contact_finds_by_phone_digits(client, user):
    aziza = ContactFactory(
        first_name="Aziza", last_name="Rahimova", owner=user, phone="+998901234567"
    )

    response = _pick(client, "contact", "1234567")

    assert f'data-pick-id="{aziza.pk}"' in response.text
    assert 'data-pick-label="Rahimova Aziza"' in response.text


def test_pick_contact_never_offers_another_teams_contact(client, user, stranger):
    ContactFactory(first_name="Aziza", last_name="Secret", owner=stranger)

    response = _pick(client, "contact", "secret")

    assert 'role="option"' not in response.text
    assert "Aziza" not in response.text
    assert "No contact you can see matches “secret”." in response.text


def test_pick_company_never_offers_another_teams_company(client, user, stranger):
    CompanyFactory(name="Hidden Bakery", owner=stranger)
    mine = CompanyFactory(name="Open Bakery", owner=user)

    response = _pick(client, "company", "bakery")

    assert f'data-pick-id="{mine.pk}"' in response.text
    assert "Hidden Bakery" not in response.text


def test_pick_with_one_letter_asks_for_more(client, user):
    ContactFactory(first_name="Ali", owner=user)

    response = _pick(client, "contact", "a")

    assert 'role="option"' not in response.text
    assert "Type at least 2 characters to search." in response.text


def test_pick_shows_at_most_eight_and_says_there_are_more(client, user):
    for number in range(10):
        ContactFactory(first_name=f"Olim{number}", last_name="Toshev", owner=user)

    response = _pick(client, "contact", "toshev")

    assert response.text.count('role="option"') == 8
    assert "type more" in response.text


def test_pick_unknown_kind_is_404(client, user):
    assert client.get(reverse("contacts:pick", args=["user"]), {"q": "ab"}).status_code == 404


def test_pick_escapes_hostile_ids(client, user):
    ContactFactory(first_name="Aziza", last_name="Rahimova", owner=user)

    response = client.get(
        reverse("contacts:pick", args=["contact"]),
        {"field": "contact", "input": '"><script>alert(1)</script>', "contact_q": "aziza"},
    )

    assert "<script>" not in response.text
    assert 'id="id_contact_status"' in response.text


def test_pick_needs_login(client):
    response = client.get(reverse("contacts:pick", args=["contact"]), {"q": "aziza"})

    assert response.status_code == 302


class _Form(forms.Form):
    contact = ContactPickerField(label="Contact", required=False)
    company = CompanyPickerField(label="Company", required=False)

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = list_contacts(viewer=viewer)
        self.fields["company"].queryset = list_companies(viewer=viewer)


def test_picker_field_accepts_a_visible_contact(user):
    aziza = ContactFactory(owner=user)

    form = _Form({"contact": str(aziza.pk), "contact_q": aziza.full_name}, viewer=user)

    assert form.is_valid()
    assert form.cleaned_data["contact"] == aziza


def test_picker_field_refuses_another_teams_contact_and_does_not_name_it(user, stranger):
    theirs = ContactFactory(first_name="Hidden", last_name="Person", owner=stranger)

    form = _Form({"contact": str(theirs.pk), "contact_q": ""}, viewer=user)

    assert not form.is_valid()
    assert form.errors["contact"] == ["There is no such contact that you can see. Search again."]
    assert "Hidden" not in str(form["contact"])


def test_picker_field_with_typed_text_but_no_choice_asks_to_choose(user):
    form = _Form({"contact": "", "contact_q": "Karim"}, viewer=user)

    assert not form.is_valid()
    assert form.errors["contact"] == ["Choose the contact from the suggestions, or clear the box."]
    assert 'value="Karim"' in str(form["contact"])


def test_picker_field_shows_the_chosen_contact_without_javascript(user):
    shop = CompanyFactory(name="Shirin Sweets", owner=user)
    aziza = ContactFactory(
        first_name="Aziza", last_name="Rahimova", owner=user, company=shop, phone="+998901234567"
    )

    html = str(_Form(initial={"contact": aziza.pk}, viewer=user)["contact"])

    assert f'name="contact" value="{aziza.pk}"' in html
    assert 'value="Rahimova Aziza"' in html
    assert "Chosen: Rahimova Aziza · 90 123 45 67 · Shirin Sweets" in html
    assert 'role="combobox"' in html
