"""Dilnoza's cashier finds a customer by typing, saves an order, then fixes a line."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from hamkor.core.money import format_money
from hamkor.sales.models import Order
from tests.accounts.factories import TeamFactory, UserFactory
from tests.contacts.factories import CompanyFactory, ContactFactory
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"


def _log_in(page, username):
    page.goto(page.base_url + "/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    expect(page).to_have_url(page.base_url + "/")


def test_pick_customer_save_order_and_edit_a_line(page):
    cashier = UserFactory(username="cashier", team=TeamFactory(name="Shop"))
    shop = CompanyFactory(name="Shirin Sweets", owner=cashier)
    ContactFactory(first_name="Dilnoza", last_name="Karimova", owner=cashier, phone="+998901112233")
    wanted = ContactFactory(
        first_name="Dilnoza",
        last_name="Karimova",
        owner=cashier,
        phone="+998935550000",
        company=shop,
    )
    ContactFactory(
        first_name="Dilnoza", last_name="Karimova", owner=UserFactory(), phone="+998977770000"
    )
    medovik = ProductFactory(name="Medovik", price=Decimal("120000.00"), currency="UZS")
    _log_in(page, "cashier")

    page.goto(page.base_url + "/sales/orders/new/")
    search = page.get_by_role("combobox", name="Customer")
    search.press_sequentially("karimova", delay=30)
    options = page.get_by_role("listbox", name="Matching contacts").get_by_role("option")
    # Two namesakes the cashier may see, told apart by phone and company; not the third.
    expect(options).to_have_count(2)
    expect(options.filter(has_text="93 555 00 00")).to_contain_text("Shirin Sweets")
    expect(page.get_by_text("97 777 00 00")).to_have_count(0)

    index = [o.get_attribute("data-pick-id") for o in options.all()].index(str(wanted.pk))
    for _ in range(index + 1):
        search.press("ArrowDown")
    search.press("Enter")
    expect(options).to_have_count(0)
    expect(
        page.get_by_text("Chosen: Karimova Dilnoza · 93 555 00 00 · Shirin Sweets")
    ).to_be_visible()

    page.get_by_label("Product").first.select_option(value=str(medovik.pk))
    expect(page.get_by_label("Unit price").first).to_have_value("120000.00")
    page.get_by_label("Quantity").first.fill("2")
    page.get_by_role("button", name="Save order").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Order #")
    order = Order.objects.get()
    assert (order.contact_id, order.total) == (wanted.pk, Decimal("240000.00"))

    # The order is confirmed, not paid: its line can still be changed here.
    lines = page.locator("#lines-form")
    lines.get_by_label("Quantity").first.fill("3")
    lines.get_by_label("Discount, %").first.fill("10")
    expect(lines.locator("#order-total")).to_contain_text(format_money(Decimal("324000"), "UZS"))
    expect(lines.locator(".line-total").first).to_have_text(format_money(Decimal("324000"), "UZS"))
    lines.get_by_role("button", name="Save lines").click()

    expect(page.get_by_text("The lines were saved.")).to_be_visible()
    order.refresh_from_db()
    assert order.total == Decimal("324000.00")
    line = order.lines.get()
    assert (line.quantity, line.discount_percent) == (3, 10)
