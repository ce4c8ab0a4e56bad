"""The portal speaks the customer's language after login, the browser's before."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from tests.billing.factories import make_issued
from tests.portal.factories import CustomerFactory
from tests.portal.helpers import portal_log_in
from tests.projects.factories import ProjectFactory
from tests.sales.factories import OrderFactory, ProductFactory

pytestmark = pytest.mark.django_db

# "Log out" is translated already (the staff menu has it): it tells which language a page is in.
LOG_OUT_RU = "Выйти"


def test_portal_pages_use_the_customers_language(client):
    portal_log_in(client, CustomerFactory(language="ru"))

    response = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en")

    assert response["Content-Language"] == "ru"
    assert '<html lang="ru">' in response.content.decode()
    assert LOG_OUT_RU in response.content.decode()


def test_customers_language_does_not_leak_into_the_next_request(client):
    portal_log_in(client, CustomerFactory(language="ru"))
    client.get(reverse("portal:home"))

    assert translation.get_language() == "en"
    assert client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"


def test_login_page_uses_the_browsers_language(client):
    response = client.get(reverse("portal:login"), HTTP_ACCEPT_LANGUAGE="ru")

    assert '<html lang="ru">' in response.content.decode()


def test_language_switch_saves_the_choice_on_the_customer(client):
    customer = CustomerFactory(language="en")
    portal_log_in(client, customer)

    response = client.post(
        reverse("portal:set_language"), {"language": "uz", "next": "/portal/orders/"}
    )

    assert response["Location"] == "/portal/orders/"
    customer.refresh_from_db()
    assert customer.language == "uz"
    assert '<html lang="uz">' in client.get(reverse("portal:home")).content.decode()


def test_language_switch_before_login_sets_the_cookie_only(client):
    response = client.post(
        reverse("portal:set_language"), {"language": "ky", "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("portal:home")
    assert response.cookies["django_language"].value == "ky"
    assert '<html lang="ky">' in client.get(reverse("portal:login")).content.decode()


def test_portal_pages_use_the_customers_time_zone(client):
    customer = CustomerFactory(time_zone="Asia/Bishkek")
    order = OrderFactory(
        contact=customer, ordered_at=datetime.datetime(2026, 5, 1, 10, 0, tzinfo=datetime.UTC)
    )
    portal_log_in(client, customer)

    page = client.get(reverse("portal:order_detail", args=[order.uuid])).content.decode()

    # 10:00 UTC is 16:00 in Bishkek (15:00 in Tashkent, the server's zone).
    assert "4 p.m." in page


@pytest.mark.parametrize("language", ["en", "ru", "uz", "ky"])
def test_every_portal_page_opens_in_every_language(client, language):
    customer = CustomerFactory(language=language)
    order = OrderFactory(contact=customer, lines=[(ProductFactory(), 1)])
    invoice = make_issued(contact=customer)
    project = ProjectFactory(contact=customer, company=None)
    portal_log_in(client, customer)
    pages = [
        reverse("portal:home"),
        reverse("portal:order_list"),
        reverse("portal:order_detail", args=[order.uuid]),
        reverse("portal:invoice_list"),
        reverse("portal:invoice_detail", args=[invoice.uuid]),
        reverse("portal:project_list"),
        reverse("portal:project_detail", args=[project.uuid]),
        reverse("portal:profile"),
    ]

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == language
