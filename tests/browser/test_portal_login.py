"""Aziza logs in to the portal with a code sent to her email and opens her order."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.portal.factories import CustomerFactory, sent_code
from tests.sales.factories import OrderFactory, ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "aziza@example.com"


def test_customer_logs_in_with_a_code_and_opens_an_order(page):
    aziza = CustomerFactory(first_name="Aziza", email=EMAIL, language="en")
    medovik = ProductFactory(name="Medovik", price=Decimal("120000.00"))
    order = OrderFactory(contact=aziza, lines=[(medovik, 2)])

    page.goto(page.base_url + "/portal/")
    expect(page).to_have_url(re.compile(r"/portal/login/\?next="))
    page.get_by_label("Email or phone number").fill("Aziza@Example.com")
    page.get_by_role("button", name="Send me a code").click()

    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(EMAIL)
    page.get_by_label("Code").fill(sent_code(EMAIL))
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(page.base_url + "/portal/")
    expect(page.get_by_role("heading", name="Hello, Aziza!")).to_be_visible()
    recent = page.get_by_role("region", name="Recent orders")
    recent.get_by_role("link", name=re.compile("Order of")).click()

    expect(page).to_have_url(page.base_url + f"/portal/orders/{order.uuid}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Order of")
    expect(page.get_by_role("cell", name="Medovik")).to_be_visible()

    # The menu stays within reach at phone width.
    menu = page.get_by_role("navigation", name="Portal menu")
    menu.get_by_role("link", name="Invoices").click()
    expect(page.get_by_role("heading", name="Your invoices")).to_be_visible()
