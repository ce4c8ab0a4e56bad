"""A customer's name is data, never code: not in message templates, not in pages.

Names are generated with hypothesis around the classic payloads (template syntax of Django,
Jinja, JavaScript and Python, HTML and script tags, quotes, right-to-left text and emoji).
"""

from __future__ import annotations

from django.test import Client
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamkor.contacts.models import Contact
from hamkor.messaging.models import Channel
from hamkor.messaging.services import render_message
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory
from tests.portal.helpers import portal_log_in

PAYLOADS = [
    "{{ 7*7 }}",
    "{{ contact.owner.password }}",
    "{% load static %}",
    "{% debug %}",
    "{# hidden #}",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "${x}",
    "#{7*7}",
    "%(name)s",
    "{0}",
    "'; DROP TABLE contacts_contact; --",
    'O\'Brien "Bek"',
    "مرحبا",
    "שלום",
    "Дилноза 🎂",
    "\u202eevil",
]
# Printable text (no control characters: PostgreSQL refuses NUL, forms strip the rest).
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")),
    min_size=0,
    max_size=12,
)
NAMES = st.builds(
    lambda before, payload, after: (before + payload + after).strip() or "x",
    TEXT,
    st.sampled_from(PAYLOADS),
    TEXT,
)
FAST = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
PAGES = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))


def _contact(**values: str) -> Contact:
    return ContactFactory(first_name="Aziza", last_name="Karimova", **values)


def test_render_message_inserts_the_name_as_plain_text(db) -> None:
    contact = _contact()

    @FAST
    @given(name=NAMES)
    def check(name: str) -> None:
        contact.first_name = name

        rendered = render_message(
            channel=Channel.SMS,
            body="Hello {{ contact.first_name }}!",
            subject="",
            contact=contact,
            sender=None,
        )

        # Exactly the name: nothing in it was evaluated, escaped or dropped.
        assert rendered.body == f"Hello {name}!".strip()

    check()


def test_render_message_escapes_the_name_in_the_email_html(db) -> None:
    contact = _contact()

    @FAST
    @given(name=NAMES)
    def check(name: str) -> None:
        contact.first_name = name

        rendered = render_message(
            channel=Channel.EMAIL,
            body="Dear {{ contact.first_name }},\nyour cake is ready.",
            subject="For {{ contact.first_name }}",
            contact=contact,
            sender=None,
        )

        assert escape(name) in rendered.html_body
        assert "<script>" not in rendered.html_body
        assert "<img" not in rendered.html_body
        assert rendered.subject == f"For {name}".strip()

    check()


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _assert_shown_escaped(page: str, name: str) -> None:
    assert escape(name) in page
    for raw in ("<script>alert(1)", "<img src=x"):
        if raw in name:
            assert raw not in page


def test_staff_pages_show_a_hostile_name_escaped(db) -> None:
    seller = UserFactory()
    contact = _contact(owner=seller)
    client = Client()
    client.force_login(seller)

    @PAGES
    @given(name=NAMES)
    def check(name: str) -> None:
        Contact.objects.filter(pk=contact.pk).update(first_name=name)

        card = _html(client.get(f"/contacts/{contact.pk}/"))
        listing = _html(client.get("/contacts/", {"q": ""}))
        overview = _html(client.get(f"/contacts/{contact.pk}/overview/"))

        for page in (card, listing, overview):
            _assert_shown_escaped(page, name)

    check()


def test_portal_shows_a_hostile_name_escaped(db) -> None:
    contact = _contact(email="aziza@example.com")
    client = portal_log_in(Client(), contact)

    @PAGES
    @given(name=NAMES)
    def check(name: str) -> None:
        Contact.objects.filter(pk=contact.pk).update(first_name=name)

        profile = _html(client.get("/portal/profile/"))

        _assert_shown_escaped(profile, name)

    check()
