"""Aziza suggests an idea, votes for another and reacts to a post, at phone width."""

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from hamkor.feedback.models import Suggestion
from hamkor.portal.session import SESSION_KEY
from tests.contacts.factories import ContactFactory
from tests.feedback.factories import AnnouncementFactory, SuggestionFactory, VoteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, contact):
    session = SessionStore()
    session[SESSION_KEY] = contact.pk
    session.save()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": page.base_url}]
    )


def test_customer_suggests_votes_and_reacts(page):
    aziza = ContactFactory(first_name="Aziza", language="en")
    other = SuggestionFactory(title="Delivery to Chilonzor")
    VoteFactory(suggestion=other)
    post = AnnouncementFactory(title="New shop on Amir Temur street")
    sign_in(page, aziza)

    page.goto(page.base_url + "/portal/community/ideas/")
    page.get_by_label("Your idea in a few words").fill("Sugar-free cakes")
    page.get_by_role("button", name="Send the idea").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sugar-free cakes")
    assert Suggestion.objects.get(title="Sugar-free cakes").contact == aziza

    page.goto(page.base_url + "/portal/community/ideas/")
    vote = page.get_by_role("button", name="Vote for this idea")
    expect(vote).to_have_count(1)
    vote.click()
    expect(page.locator(f"#vote-{other.uuid} .count")).to_have_text("2")
    expect(page.locator(f"#vote-{other.uuid} button")).to_have_attribute("aria-pressed", "true")

    page.goto(page.base_url + f"/portal/community/news/{post.uuid}/")
    page.get_by_role("button", name="Love: 0").click()
    expect(page.get_by_role("button", name="Love: 1")).to_have_attribute("aria-pressed", "true")
