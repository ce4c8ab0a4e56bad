"""The embed script on a company website of another origin, in a real browser."""

import pytest
from django.template.loader import render_to_string
from django.templatetags.static import static

from hamkor.contacts.models import Contact
from hamkor.webforms.models import Submission
from hamkor.webforms.services import HONEYPOT_FIELD, UTM_KEYS
from hamkor.webforms.views.rendering import public_fields
from tests.webforms.factories import WebFormFactory


def _shop(live_server):
    """The company's site: another origin on loopback (Chromium refuses public-to-loopback)."""
    port = live_server.url.rsplit(":", 1)[1]
    assert live_server.url.startswith("http://localhost:")
    return f"http://127.0.0.1:{port}"


def _shop_page(live_server, form):
    snippet = render_to_string(
        "webforms/_snippet.html",
        {
            "form": form,
            "rows": public_fields(form, {}, {}),
            "values": {},
            "honeypot": HONEYPOT_FIELD,
            "utm_keys": UTM_KEYS,
            "action": f"{live_server.url}/f/{form.uuid}/",
            "script": True,
            "script_url": live_server.url + static("webforms/embed.js"),
            "send_label": "Send",
        },
    )
    return f"<!doctype html><html><body><h1>Cakes</h1>{snippet}</body></html>"


@pytest.mark.django_db(transaction=True)
def test_embed_script_posts_cross_origin_and_thanks_in_place(live_server, page):
    shop = _shop(live_server)
    form = WebFormFactory(allowed_origins=shop, thank_you_text="Rahmat! We will call you.")
    html = _shop_page(live_server, form)
    page.route(f"{shop}/shop/**", lambda route: route.fulfill(body=html, content_type="text/html"))

    # Both origins are on loopback here; a real shop and Hamkor are on the internet, where
    # Chromium asks no local-network permission.
    page.context.grant_permissions(["local-network-access"])
    page.goto(f"{shop}/shop/cakes?utm_source=instagram&utm_campaign=spring")
    page.get_by_label("First name").fill("Aziza")
    page.get_by_label("Email").fill("aziza@example.com")
    page.get_by_role("button", name="Send").click()

    page.get_by_role("status").get_by_text("Rahmat! We will call you.").wait_for()
    # Thanked in place: still the shop's page, not ours.
    assert page.url.startswith(f"{shop}/shop/cakes")
    submission = Submission.objects.get()
    assert submission.utm == {"utm_source": "instagram", "utm_campaign": "spring"}
    assert Contact.objects.get().first_name == "Aziza"


@pytest.mark.django_db(transaction=True)
def test_embed_script_shows_field_errors_beside_the_field(live_server, page):
    shop = _shop(live_server)
    form = WebFormFactory(allowed_origins=shop)
    html = _shop_page(live_server, form)
    page.route(f"{shop}/shop/**", lambda route: route.fulfill(body=html, content_type="text/html"))

    # Both origins are on loopback here; a real shop and Hamkor are on the internet, where
    # Chromium asks no local-network permission.
    page.context.grant_permissions(["local-network-access"])
    page.goto(f"{shop}/shop/cakes")
    page.get_by_label("First name").fill("Aziza")
    # The browser checks an email's shape itself; a phone it leaves to us.
    page.get_by_label("Phone").fill("12")
    page.get_by_role("button", name="Send").click()

    page.locator('[data-errors-for="phone"]').get_by_text("is not a").wait_for()
    assert page.url.startswith(f"{shop}/shop/cakes")
    assert Submission.objects.count() == 0
