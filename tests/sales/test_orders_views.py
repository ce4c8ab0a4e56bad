from decimal import Decimal

import pytest
from django.urls import reverse

from hamkor.accounts.models import Role
from hamkor.sales.models import Order
from tests.accounts.factories import TeamFactory, UserFactory
from tests.contacts.factories import ContactFactory
from tests.sales.factories import OrderFactory, ProductFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def user(client):
    user = UserFactory(role=Role.SALES, team=TeamFactory(name="Team A"))
    client.force_login(user)
    return user


@pytest.fixture
def contact(user):
    return ContactFactory(owner=user, team=user.team, currency="UZS")


def test_order_create_page_prefills_contact_currency(client, contact):
    response = client.get(reverse("sales:order_create"), {"contact": contact.pk})

    assert response.status_code == 200
    assert contact.full_name in response.text
    assert 'name="line_product"' in response.text


def test_order_create_saves_order_and_redirects(client, contact):
    cake = ProductFactory(price=Decimal("105000"), currency="UZS")

    response = client.post(
        reverse("sales:order_create"),
        {
            "contact": contact.pk,
            "currency": "UZS",
            "status": "confirmed",
            "channel": "store",
            "notes": "Birthday",
            "line_product": [str(cake.pk), ""],
            "line_description": ["", "Candles"],
            "line_quantity": ["3", "2"],
            "line_price": ["", "7 500"],
            "line_discount": ["", ""],
        },
    )

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sales:order_detail", args=[order.pk])
    assert order.total == Decimal("330000.00")


def test_order_create_keeps_typed_lines_on_error(client, contact):
    response = client.post(
        reverse("sales:order_create"),
        {
            "contact": contact.pk,
            "currency": "UZS",
            "status": "confirmed",
            "channel": "store",
            "line_product": [""],
            "line_description": ["Flowers"],
            "line_quantity": ["0"],
            "line_price": ["5000"],
            "line_discount": [""],
        },
    )

    assert response.status_code == 200
    assert "above zero" in response.text
    assert 'value="Flowers"' in response.text
    assert not Order.objects.exists()


def test_order_create_for_invisible_contact_is_404(client, user):
    stranger = UserFactory(role=Role.SALES, team=TeamFactory(name="Team B"))
    theirs = ContactFactory(owner=stranger, team=stranger.team)

    response = client.get(reverse("sales:order_create"), {"contact": theirs.pk})

    assert response.status_code == 404


def test_line_row_prefills_product_price(client, user):
    cake = ProductFactory(price=Decimal("105000.00"), currency="UZS")

    response = client.get(
        reverse("sales:order_line_row"),
        {"line_product": cake.pk, "line_quantity": "2", "currency": "UZS", "picked": "1"},
        **HTMX,
    )

    assert 'value="105000.00"' in response.text
    assert response["HX-Trigger"] == "lines-changed"


def test_order_total_shows_live_total(client, user):
    response = client.post(
        reverse("sales:order_total"),
        {
            "currency": "UZS",
            "line_product": ["", ""],
            "line_quantity": ["2", "1"],
            "line_price": ["1000", "500"],
            "line_discount": ["50", ""],
        },
    )

    assert "1,500" in response.text or "1 500" in response.text


def test_order_list_and_detail_show_visible_orders(client, contact):
    order = OrderFactory(contact=contact, lines=[(ProductFactory(price=Decimal("1000")), 2)])
    stranger = UserFactory(role=Role.SALES, team=TeamFactory(name="Team B"))
    theirs = OrderFactory(contact=ContactFactory(owner=stranger, team=stranger.team))

    listing = client.get(reverse("sales:order_list"))
    detail = client.get(reverse("sales:order_detail", args=[order.pk]))
    hidden = client.get(reverse("sales:order_detail", args=[theirs.pk]))

    assert f"Order #{order.pk}" in listing.text
    assert f"Order #{theirs.pk}" not in listing.text
    assert detail.status_code == 200
    assert "Mark as" in detail.text
    assert hidden.status_code == 404


def test_order_status_button_moves_order(client, contact):
    order = OrderFactory(contact=contact, status="confirmed")

    client.post(reverse("sales:order_status", args=[order.pk]), {"status": "paid"})
    client.post(reverse("sales:order_status", args=[order.pk]), {"status": "draft"})

    order.refresh_from_db()
    assert order.status == "paid"
