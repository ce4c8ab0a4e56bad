"""Aziza asks a question on the portal: an article is suggested as she types, she sends it
anyway, and sees the agent's reply, at phone width."""

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from hamkor.portal.session import SESSION_KEY
from hamkor.support.models import Ticket
from hamkor.support.services import add_staff_message
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory
from tests.support.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, contact):
    """Put a portal session for the contact in the browser (the code login has its own test)."""
    session = SessionStore()
    session[SESSION_KEY] = contact.pk
    session.save()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": page.base_url,
            }
        ]
    )


def test_customer_opens_a_request_with_suggestions_and_reads_the_reply(page):
    aziza = ContactFactory(first_name="Aziza", language="en", email="aziza@example.com")
    ArticleFactory(
        versions={"en": ("When will my order arrive?", "Orders arrive within two days.")}
    )
    sign_in(page, aziza)

    page.goto(page.base_url + "/portal/support/")
    page.get_by_role("link", name="New request").first.click()
    page.get_by_label("Subject").press_sequentially("my order did not arrive", delay=20)
    suggestion = page.get_by_role("link", name="When will my order arrive?")
    expect(suggestion).to_be_visible()

    page.get_by_label("Tell us more").fill("I ordered a Medovik on Monday.")
    page.get_by_role("button", name="Send").click()

    ticket = Ticket.objects.get()
    expect(page).to_have_url(page.base_url + f"/portal/support/requests/{ticket.uuid}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"#{ticket.pk}")

    add_staff_message(
        ticket=ticket, body="It arrives today at 15:00.", actor=UserFactory(first_name="Malika")
    )
    page.reload()
    expect(page.get_by_text("It arrives today at 15:00.")).to_be_visible()
    expect(page.get_by_text("Malika")).to_be_visible()
