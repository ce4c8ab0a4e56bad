import pytest
from django.test import Client
from django.urls import reverse

from hamkor.accounts.models import Role
from hamkor.core.money import format_money
from tests.accounts.factories import UserFactory
from tests.api.helpers import api_client
from tests.overview.factories import make_history, seller_with_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    seller, contact = seller_with_customer()
    return make_history(seller=seller, contact=contact)


def _login(user):
    client = Client()
    client.force_login(user)
    return client


def test_contact_overview_page_shows_the_figures(history):
    page = _login(history.seller).get(reverse("overview:contact", args=[history.customer.pk]))

    body = page.content.decode()
    assert page.status_code == 200
    assert "Shop website" in body and "over budget" in body
    assert "Build the shop" in body
    assert format_money(700000, "UZS", "en") in body
    assert "Agreed the launch date" in body


def test_contact_overview_page_is_404_for_another_teams_seller(history):
    stranger = UserFactory(role=Role.SALES)

    page = _login(stranger).get(reverse("overview:contact", args=[history.customer.pk]))
    answer = api_client(stranger).get(f"/api/v1/contacts/{history.customer.pk}/overview")

    assert page.status_code == 404
    assert answer.status_code == 404


def test_contact_overview_api_gives_balance_and_budget(history):
    answer = api_client(history.seller).get(f"/api/v1/contacts/{history.customer.pk}/overview")

    data = answer.json()
    assert answer.status_code == 200
    assert data["invoices"]["balance"]["amount"] == "700000.00"
    assert data["projects"]["latest"][0]["over_budget"] is True
    assert data["deals"]["count"] == 2


def test_contact_card_links_to_the_overview(history):
    page = _login(history.seller).get(reverse("contacts:detail", args=[history.customer.pk]))

    assert reverse("overview:contact", args=[history.customer.pk]) in page.content.decode()


def test_contact_overview_page_speaks_the_users_language_and_money_format(history):
    history.seller.language = "ru"
    history.seller.save(update_fields=["language"])

    page = _login(history.seller).get(reverse("overview:contact", args=[history.customer.pk]))

    body = page.content.decode()
    assert "обзор 360°" in body
    assert "Открытые задачи" in body and "Последние взаимодействия" in body
    assert format_money(700000, "UZS", "ru") in body
    assert format_money(700000, "UZS", "ru") != format_money(700000, "UZS", "en")
    assert page["Content-Language"] == "ru"
