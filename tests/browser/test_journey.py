"""A receptionist's first day, in a real browser at phone width."""

import re

import pytest
from django.utils import translation
from django.utils.translation import get_language_info, gettext
from playwright.sync_api import expect

from hamkor.contacts.models import Contact
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"


def _log_in(page, username):
    page.goto(page.base_url + "/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    expect(page).to_have_url(page.base_url + "/")


def test_create_contact_log_call_find_by_phone_and_switch_to_uzbek(page):
    UserFactory(username="dilnoza", role="manager")
    _log_in(page, "dilnoza")

    # Create a contact with a phone typed the local way.
    page.goto(page.base_url + "/contacts/new/")
    page.get_by_label("First name").fill("Aziza")
    page.get_by_label("Last name").fill("Rahimova")
    page.get_by_label("Phone number").first.fill("90 123 45 67")
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rahimova Aziza")
    contact = Contact.objects.get(last_name="Rahimova")
    assert list(contact.phones.values_list("number", flat=True)) == ["+998901234567"]
    # The secondary panels arrive by themselves right after the card.
    expect(page.get_by_role("heading", name="Send message")).to_be_visible()
    expect(page.locator(".panel-placeholder")).to_have_count(0)

    # Log a call; it appears on the timeline without a reload.
    log_form = page.locator("#log-form")
    log_form.get_by_label("Channel").select_option("phone")
    log_form.get_by_label("Subject").fill("Asked about a birthday cake")
    log_form.get_by_role("button", name="Save to timeline").click()
    expect(page.locator("#timeline")).to_contain_text("Asked about a birthday cake")

    # Find her by typing part of the phone number into the search box.
    page.goto(page.base_url + "/contacts/")
    page.get_by_label("Search contacts").press_sequentially("123 45", delay=30)
    expect(page.locator("#results")).to_contain_text("Rahimova Aziza")
    expect(page).to_have_url(re.compile(r"q=123"))

    # Switch to Uzbek: labels are translated, and the choice sticks on the next page.
    page.get_by_role("button", name=get_language_info("uz")["name_local"]).click()
    with translation.override("uz"):
        contacts_uz, first_name_uz = gettext("Contacts"), gettext("First name")
    assert contacts_uz != "Contacts"
    expect(page.get_by_role("heading", level=1)).to_have_text(contacts_uz)
    page.goto(page.base_url + "/contacts/new/")
    expect(page.get_by_label(re.compile(rf"^{re.escape(first_name_uz)}\b"))).to_be_visible()


def test_invalid_phone_keeps_what_was_typed(page):
    UserFactory(username="malika", role="sales")
    _log_in(page, "malika")

    page.goto(page.base_url + "/contacts/new/")
    page.get_by_label("First name").fill("Bekzod")
    page.get_by_label("Phone number").first.fill("12")
    page.get_by_role("button", name="Save contact").click()

    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.get_by_label("First name")).to_have_value("Bekzod")
    expect(page.get_by_label("Phone number").first).to_have_value("12")
    assert not Contact.objects.filter(first_name="Bekzod").exists()
