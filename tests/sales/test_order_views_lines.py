"""Editing a saved order's lines on its page: what staff see, what is saved, what is refused."""

from decimal import Decimal

import pytest
from django.urls import reverse

from hamkor.accounts.models import Role
from hamkor.core.money import format_money
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
def cake():
    return ProductFactory(name="Napoleon cake", price=Decimal("100000.00"), currency="UZS")


@pytest.fixture
def order(user, cake):
    contact = ContactFactory(owner=user, team=user.team)
    return OrderFactory(contact=contact, status="draft", lines=[(cake, 2)])


def _lines_url(order):
    return reverse("sales:order_lines", args=[order.pk])


def _rows(*rows):
    """POST data for line rows given as (product, description, quantity, price, discount)."""
    columns = ("line_product", "line_description", "line_quantity", "line_price", "line_discount")
    return {name: [str(row[i]) for row in rows] for i, name in enumerate(columns)}


def test_draft_order_page_offers_its_lines_for_editing(client, order, cake):
    response = client.get(reverse("sales:order_detail", args=[order.pk]))

    content = response.content.decode()
    assert 'id="lines-form"' in content
    assert f'<option value="{cake.pk}" selected>' in content
    assert 'name="line_quantity" value="2"' in content
    assert 'name="line_price" value="100000"' in content
    assert "Save lines" in content
    assert "Add a line" in content
    assert format_money(Decimal("200000"), "UZS") in content


def test_save_changed_quantity_price_and_discount_updates_total(client, order, cake):
    response = client.post(_lines_url(order), _rows((cake.pk, "", "3", "90 000", "10")), **HTMX)

    content = response.content.decode()
    assert response.status_code == 200
    assert "The lines were saved." in content
    assert format_money(Decimal("243000"), "UZS") in content
    order.refresh_from_db()
    line = order.lines.get()
    assert (line.quantity, line.unit_price, line.discount_percent) == (3, 90000, 10)
    assert order.total == Decimal("243000.00")


def test_save_adds_a_line_and_drops_a_removed_one(client, order, cake):
    candles = ProductFactory(name="Candles", price=Decimal("5000.00"), currency="UZS")

    client.post(
        _lines_url(order),
        _rows((candles.pk, "", "4", "", ""), ("", "Gift box", "1", "15000", "")),
        **HTMX,
    )

    order.refresh_from_db()
    assert [(line.product, line.description) for line in order.lines.all()] == [
        (candles, ""),
        (None, "Gift box"),
    ]
    assert order.total == Decimal("35000.00")


def test_confirmed_order_lines_can_be_changed_too(client, order, cake):
    order.status = "confirmed"
    order.save()

    client.post(_lines_url(order), _rows((cake.pk, "", "1", "100000", "")), **HTMX)

    order.refresh_from_db()
    assert order.total == Decimal("100000.00")


def test_typing_error_keeps_what_was_typed_and_saves_nothing(client, order, cake):
    response = client.post(
        _lines_url(order),
        _rows((cake.pk, "", "two", "100000", ""), ("", "Gift box", "1", "15000", "")),
        **HTMX,
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Enter the quantity as a number." in content
    assert 'value="two"' in content
    assert 'value="Gift box"' in content
    assert "Nothing was saved yet." in content
    order.refresh_from_db()
    assert order.total == Decimal("200000.00")
    assert order.lines.count() == 1


def test_service_error_is_shown_with_the_line_number(client, order, cake):
    response = client.post(
        _lines_url(order),
        _rows((cake.pk, "", "1", "", ""), ("", "Flowers", "0", "5000", "")),
        **HTMX,
    )

    content = response.content.decode()
    assert "Line 2: Enter a quantity above zero." in content
    assert 'value="Flowers"' in content
    assert order.lines.get().quantity == 2


def test_removing_every_line_is_refused(client, order):
    response = client.post(_lines_url(order), {}, **HTMX)

    assert "Add at least one line." in response.content.decode()
    assert order.lines.count() == 1


def test_paid_order_page_says_why_lines_cannot_change(client, order):
    order.status = "paid"
    order.save()

    response = client.get(reverse("sales:order_detail", args=[order.pk]))

    content = response.content.decode()
    assert 'id="lines-form"' not in content
    assert "Save lines" not in content
    assert "This order is paid, so its lines are kept as they were." in content
    assert "Napoleon cake" in content


def test_cancelled_order_page_says_why_lines_cannot_change(client, order):
    order.status = "cancelled"
    order.save()

    response = client.get(reverse("sales:order_detail", args=[order.pk]))

    content = response.content.decode()
    assert 'id="lines-form"' not in content
    assert "This order is cancelled, so its lines are kept as they were." in content


def test_posting_lines_to_a_paid_order_is_refused(client, order, cake):
    order.status = "paid"
    order.save()

    response = client.post(_lines_url(order), _rows((cake.pk, "", "9", "1", "")), **HTMX)

    content = response.content.decode()
    assert "The lines of a paid order cannot be changed." in content
    order.refresh_from_db()
    assert order.total == Decimal("200000.00")
    assert order.lines.get().quantity == 2


def test_another_teams_order_lines_are_not_found(client, user, cake):
    stranger = UserFactory(role=Role.SALES, team=TeamFactory(name="Team B"))
    theirs = OrderFactory(
        contact=ContactFactory(owner=stranger, team=stranger.team),
        status="draft",
        lines=[(cake, 1)],
    )

    response = client.post(_lines_url(theirs), _rows((cake.pk, "", "9", "", "")))

    assert response.status_code == 404
    assert theirs.lines.get().quantity == 1


def test_line_with_a_product_no_longer_sold_can_stay(client, order, cake):
    cake.is_active = False
    cake.save()

    page = client.get(reverse("sales:order_detail", args=[order.pk]))
    client.post(_lines_url(order), _rows((cake.pk, "", "5", "100000", "")), **HTMX)

    assert f'<option value="{cake.pk}" selected>' in page.content.decode()
    order.refresh_from_db()
    assert order.lines.get().product == cake
    assert order.total == Decimal("500000.00")


def test_new_line_cannot_choose_a_product_no_longer_sold(client, order, cake):
    retired = ProductFactory(name="Old tart", price=Decimal("1000.00"), is_active=False)

    response = client.post(
        _lines_url(order),
        _rows((cake.pk, "", "2", "", ""), (retired.pk, "", "1", "1000", "")),
        **HTMX,
    )

    assert "That product is no longer sold; choose another." in response.content.decode()
    assert order.lines.count() == 1


def test_saving_lines_without_javascript_returns_to_the_order(client, order, cake):
    response = client.post(_lines_url(order), _rows((cake.pk, "", "1", "", "")), follow=True)

    content = response.content.decode()
    assert response.redirect_chain == [(reverse("sales:order_detail", args=[order.pk]), 302)]
    assert "The lines were saved." in content
    assert format_money(Decimal("100000"), "UZS") in content


def test_live_total_also_updates_each_lines_total(client, user):
    response = client.post(
        reverse("sales:order_total"),
        {"currency": "UZS", **_rows(("", "Cake", "3", "100000", "10"), ("", "", "", "", ""))},
        **HTMX,
    )

    content = response.content.decode()
    assert format_money(Decimal("270000"), "UZS") in content
    assert (
        'hx-swap-oob="innerHTML:#line-rows > .line-row:nth-child(1) .line-total">'
        + format_money(Decimal("270000"), "UZS")
    ) in content
    assert 'nth-child(2) .line-total"></span>' in content
