"""The Content-Security-Policy blocks nothing on the main pages, and they still work under it."""

import re

import pytest
from playwright.sync_api import expect

from hamkor.accounts.models import Role
from tests.accounts.factories import UserFactory
from tests.booking.factories import BookingPageFactory
from tests.contacts.factories import ContactFactory
from tests.sales.factories import DealFactory, PipelineFactory
from tests.webforms.factories import WebFormFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"


@pytest.fixture
def violations(page):
    """Console errors the browser logs for anything the policy refused, collected per test."""
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: found.append(f"page error: {error}"))
    return found


def _log_in(page, username):
    page.goto(page.base_url + "/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    expect(page).to_have_url(page.base_url + "/")


@pytest.fixture
def dilnoza():
    return UserFactory(username="dilnoza", role=Role.ADMIN)


def test_main_staff_pages_load_without_a_policy_violation(page, violations, dilnoza):
    contact = ContactFactory(first_name="Aziza", owner=dilnoza)
    deal = DealFactory(pipeline=PipelineFactory(name="Shop"), contact=contact)
    _log_in(page, "dilnoza")

    for path, heading in [
        ("/", None),
        ("/analytics/", None),
        (f"/contacts/{contact.pk}/", "Aziza"),
        (f"/sales/board/?pipeline={deal.pipeline_id}", "Shop"),
        ("/sales/due-soon/", "Due soon"),
        ("/admin/", None),
        ("/api/v1/docs", None),
    ]:
        page.goto(page.base_url + path)
        page.wait_for_load_state("networkidle")
        if heading:
            expect(page.get_by_role("heading", level=1)).to_contain_text(heading)

    assert violations == []


def test_customer_pages_load_without_a_policy_violation(page, violations):
    booking_page, web_form = BookingPageFactory(), WebFormFactory()

    for path in ["/portal/login/", f"/book/{booking_page.slug}/", f"/f/{web_form.uuid}/"]:
        page.goto(page.base_url + path)
        page.wait_for_load_state("networkidle")
        expect(page.locator("main")).to_be_visible()

    assert violations == []


def test_a_select_still_submits_its_form_without_an_inline_handler(page, violations, dilnoza):
    _log_in(page, "dilnoza")
    page.goto(page.base_url + "/sales/due-soon/")

    page.get_by_label("Expected within").select_option(index=1)

    expect(page).to_have_url(re.compile(r"/sales/due-soon/\?days=\d+"))
    assert violations == []


def test_typing_a_name_still_looks_for_duplicates(page, violations, dilnoza):
    ContactFactory(first_name="Dilnoza", last_name="Karimova", owner=dilnoza)
    _log_in(page, "dilnoza")
    page.goto(page.base_url + "/contacts/new/")

    with page.expect_response(re.compile(r"/contacts/similar/")) as answer:
        page.get_by_label("Last name").fill("Karimova")

    assert answer.value.ok
    assert violations == []
