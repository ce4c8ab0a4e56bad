import re

import pytest
from django.urls import reverse

from hamkor.portal.services import MAX_CODES_PER_ADDRESS
from hamkor.portal.session import SESSION_KEY
from tests.portal.factories import CustomerFactory, sent_code
from tests.portal.helpers import portal_log_in

pytestmark = pytest.mark.django_db

EMAIL = "aziza@example.com"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _normalise(page, address):
    """The page with the typed address and the per-response CSRF mask taken out."""
    return CSRF.sub("CSRF", page.replace(address, "ADDRESS"))


def _ask_code(client, address, next_url=""):
    data = {"address": address}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("portal:login"), data)


def _type_code(client, code, next_url=""):
    data = {"code": code}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("portal:verify"), data)


def test_portal_page_sends_a_visitor_to_the_login_with_next(client):
    response = client.get(reverse("portal:order_list"))

    assert response.status_code == 302
    assert response["Location"] == "/portal/login/?next=%2Fportal%2Forders%2F"


def test_login_page_has_a_labelled_address_field(client):
    response = client.get(reverse("portal:login"))

    assert response.status_code == 200
    assert 'for="id_address"' in response.content.decode()
    assert 'name="viewport"' in response.content.decode()


def test_login_with_code_lands_on_the_portal_home(client):
    CustomerFactory(first_name="Aziza", email=EMAIL)
    _ask_code(client, EMAIL)

    response = _type_code(client, sent_code(EMAIL))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert "Hello, Aziza!" in client.get(reverse("portal:home")).content.decode()


def test_send_code_answers_the_same_for_a_known_and_an_unknown_address(client):
    CustomerFactory(email=EMAIL)

    known = _ask_code(client, EMAIL)
    known_page = client.get(known["Location"]).content.decode()
    client.session.flush()
    unknown = _ask_code(client, "nobody@example.com")
    unknown_page = client.get(unknown["Location"]).content.decode()

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert _normalise(known_page, EMAIL) == _normalise(unknown_page, "nobody@example.com")


def test_send_code_refuses_neither_email_nor_phone_beside_the_field(client):
    response = _ask_code(client, "hello")

    assert response.status_code == 400
    assert "Enter your email address or your phone number" in response.content.decode()


def test_send_code_past_the_limit_answers_429_with_the_wait(client):
    for _ in range(MAX_CODES_PER_ADDRESS):
        _ask_code(client, "nobody@example.com")

    response = _ask_code(client, "nobody@example.com")

    assert response.status_code == 429
    assert "Try again in 15 minutes." in response.content.decode()


def test_wrong_code_is_shown_beside_the_field_and_does_not_log_in(client):
    CustomerFactory(email=EMAIL)
    _ask_code(client, EMAIL)
    wrong = "000000" if sent_code(EMAIL) != "000000" else "999999"

    response = _type_code(client, wrong)

    assert response.status_code == 400
    assert "That code is not right. You can try 4 more times." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_code_page_without_a_request_goes_back_to_the_login(client):
    response = client.get(reverse("portal:verify"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


def test_login_goes_to_a_same_site_next_path(client):
    CustomerFactory(email=EMAIL)
    _ask_code(client, EMAIL, next_url="/portal/orders/?page=2")

    response = _type_code(client, sent_code(EMAIL), next_url="/portal/orders/?page=2")

    assert response["Location"] == "/portal/orders/?page=2"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/portal/",
        "//evil.example/portal/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "portal/orders/",
    ],
)
def test_login_ignores_a_next_url_off_the_site(client, next_url):
    CustomerFactory(email=EMAIL)
    _ask_code(client, EMAIL, next_url=next_url)

    response = _type_code(client, sent_code(EMAIL), next_url=next_url)

    assert response["Location"] == reverse("portal:home")


def test_login_session_gets_a_new_key(client):
    CustomerFactory(email=EMAIL)
    _ask_code(client, EMAIL)
    before = client.session.session_key

    _type_code(client, sent_code(EMAIL))

    assert client.session.session_key != before


def test_log_out_ends_the_portal_session(client):
    portal_log_in(client, CustomerFactory())

    response = client.post(reverse("portal:logout"))

    assert response["Location"] == reverse("portal:login")
    assert client.get(reverse("portal:home")).status_code == 302


def test_log_out_keeps_a_staff_login_in_the_same_browser(client):
    customer = CustomerFactory()
    client.force_login(customer.owner)
    portal_log_in(client, customer)

    client.post(reverse("portal:logout"))

    assert client.get(reverse("contacts:list")).status_code == 200


def test_a_staff_login_alone_does_not_open_the_portal(client):
    client.force_login(CustomerFactory().owner)

    assert client.get(reverse("portal:home")).status_code == 302


def test_login_page_for_a_logged_in_customer_goes_home(client):
    portal_log_in(client, CustomerFactory())

    response = client.get(reverse("portal:login"))

    assert response["Location"] == reverse("portal:home")
