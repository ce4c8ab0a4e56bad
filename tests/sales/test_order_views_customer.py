"""Choosing the customer of a new order by searching, and what the form refuses."""

from decimal import Decimal

import pytest
from django.urls import reverse

from hamkor.accounts.models import Role
from hamkor.sales.models import Order
from tests.accounts.factories import TeamFactory, UserFactory
from tests.contacts.factories import CompanyFactory, ContactFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def user(client):
    user = UserFactory(role=Role.SALES, team=TeamFactory(name="Team A"))
    client.force_login(user)
    return user


@pytest.fixture
def stranger():
    return UserFactory(role=Role.SALES, team=TeamFactory(name="Team B"))


def _order(**fields):
    data = {
        "contact": "",
        "contact_q": "",
        "company": "",
        "company_q": "",
        "currency": "UZS",
        "status": "confirmed",
        "channel": "store",
        "line_product": [""],
        "line_description": ["Wedding cake"],
        "line_quantity": ["1"],
        "line_price": ["450000"],
        "line_discount": [""],
    }
    data.update(fields)
    return data


def test_new_order_without_customer_offers_search_pickers(client, user):
    ContactFactory(first_name="Listed", owner=user)

    response = client.get(reverse("sales:order_create"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>New order</h1>" in content
    assert content.count('role="combobox"') == 2
    assert 'label for="id_contact"' in content
    assert "Listed" not in content


def test_new_order_from_contact_page_shows_the_chosen_customer(client, user):
    aziza = ContactFactory(
        first_name="Aziza", last_name="Rahimova", owner=user, phone="+998901234567"
    )

    response = client.get(reverse("sales:order_create"), {"contact": aziza.pk})

    content = response.content.decode()
    assert f'name="contact" value="{aziza.pk}"' in content
    assert "Chosen: Rahimova Aziza · 90 123 45 67" in content


def test_order_for_a_searched_contact_is_saved(client, user):
    aziza = ContactFactory(first_name="Aziza", last_name="Rahimova", owner=user)

    response = client.post(
        reverse("sales:order_create"),
        _order(contact=str(aziza.pk), contact_q="Rahimova Aziza"),
    )

    order = Order.objects.get()
    assert response["Location"] == reverse("sales:order_detail", args=[order.pk])
    assert (order.contact, order.total) == (aziza, Decimal("450000.00"))


def test_order_for_a_company_only_is_saved(client, user):
    company = CompanyFactory(name="Ala-Too Media", owner=user)

    client.post(reverse("sales:order_create"), _order(company=str(company.pk)))

    order = Order.objects.get()
    assert (order.contact, order.company) == (None, company)


def test_order_for_another_teams_contact_is_refused_without_naming_it(client, user, stranger):
    theirs = ContactFactory(first_name="Hidden", last_name="Person", owner=stranger)

    response = client.post(
        reverse("sales:order_create"), _order(contact=str(theirs.pk), contact_q="Person")
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "There is no such contact that you can see. Search again." in content
    assert "Hidden" not in content
    assert 'value="Wedding cake"' in content
    assert not Order.objects.exists()


def test_order_for_another_teams_company_is_refused(client, user, stranger):
    theirs = CompanyFactory(name="Secret LLC", owner=stranger)

    response = client.post(reverse("sales:order_create"), _order(company=str(theirs.pk)))

    assert "There is no such company that you can see. Search again." in response.text
    assert not Order.objects.exists()


def test_order_without_customer_asks_for_one_and_keeps_the_lines(client, user):
    response = client.post(reverse("sales:order_create"), _order())

    content = response.content.decode()
    assert "Choose the customer (or a company) for the order." in content
    assert 'value="Wedding cake"' in content
    assert 'value="450000"' in content
    assert not Order.objects.exists()


def test_order_with_typed_but_unchosen_customer_keeps_the_text(client, user):
    response = client.post(reverse("sales:order_create"), _order(contact_q="Rahim"))

    content = response.content.decode()
    assert "Choose the contact from the suggestions, or clear the box." in content
    assert 'value="Rahim"' in content
    assert not Order.objects.exists()


def test_customer_hint_reminds_of_loyal_discount_for_the_picked_contact(client, user):
    loyal = ContactFactory(first_name="Aziza", owner=user, stage="loyal")

    response = client.get(reverse("sales:order_customer_hint"), {"contact": loyal.pk}, **HTMX)

    assert "Aziza is a loyal customer: offer a 10% discount." in response.text


def test_customer_hint_says_nothing_about_another_teams_contact(client, user, stranger):
    theirs = ContactFactory(first_name="Hidden", owner=stranger, stage="loyal")

    response = client.get(reverse("sales:order_customer_hint"), {"contact": theirs.pk}, **HTMX)

    assert response.status_code == 200
    assert "Hidden" not in response.text
    assert "loyal" not in response.text
