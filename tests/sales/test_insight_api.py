import datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.contacts.models import Stage
from hamkor.core.models import ExchangeRate
from hamkor.core.panels import panels_for
from hamkor.sales.services.insight import recompute_product_pairs, recompute_purchase_cycles
from tests.accounts.factories import TeamFactory, UserFactory
from tests.api.helpers import api_client
from tests.contacts.factories import ContactFactory
from tests.sales.factories import OrderFactory, ProductFactory

pytestmark = pytest.mark.django_db

INSIGHT = "/api/v1/insight"


@pytest.fixture
def seller():
    return UserFactory(role=Role.SALES, team=TeamFactory(name="Team A"))


@pytest.fixture
def rival():
    return UserFactory(role=Role.SALES, team=TeamFactory(name="Team B"))


@pytest.fixture
def customer(seller):
    """Cake every 10 days ending 3 days ago (due in 7 days), cake + juice bought by others."""
    contact = ContactFactory(owner=seller, stage=Stage.LOYAL)
    cake = ProductFactory(name="Cake", price=Decimal("100000.00"))
    juice = ProductFactory(name="Juice", price=Decimal("10000.00"))
    now = timezone.now()
    for days_ago in (23, 13, 3):
        OrderFactory(
            contact=contact, ordered_at=now - datetime.timedelta(days=days_ago), lines=[(cake, 1)]
        )
    OrderFactory(ordered_at=now, lines=[(cake, 1), (juice, 1)])
    usd = OrderFactory(
        contact=contact,
        currency="USD",
        ordered_at=now - datetime.timedelta(days=3),
        lines=[(cake, 1)],
    )
    usd.total = Decimal("2.00")
    usd.save(update_fields=["total"])
    ExchangeRate.objects.create(
        date=timezone.localdate() - datetime.timedelta(days=5),
        currency="USD",
        rate=Decimal("12500"),
    )
    recompute_purchase_cycles()
    recompute_product_pairs()
    return contact


def test_contact_insight_api_returns_the_card(seller, customer):
    response = api_client(seller).get(f"{INSIGHT}/contacts/{customer.pk}")

    assert response.status_code == 200
    body = response.json()
    # 3 × 100 000 + 2.00 USD × 12 500.
    assert body["summary"]["lifetime_value"] == "325000.00"
    assert body["summary"]["orders"] == 4
    assert body["summary"]["favourites"][0]["product"]["name"] == "Cake"
    assert body["is_loyal"] is True
    assert body["loyalty_discount_percent"] == "10.00"
    assert [c["typical_gap_days"] for c in body["cycles"]] == [10]
    assert [r["product"]["name"] for r in body["recommendations"]] == ["Juice"]
    assert [r["score"] for r in body["recommendations"]] == [1]


def test_contact_insight_api_hides_other_teams_contacts(rival, customer):
    response = api_client(rival).get(f"{INSIGHT}/contacts/{customer.pk}")

    assert response.status_code == 404


def test_contact_insight_api_needs_a_token(customer):
    assert Client().get(f"{INSIGHT}/contacts/{customer.pk}").status_code == 401


def test_due_soon_api_lists_visible_cycles(seller, rival, customer):
    mine = api_client(seller).get(f"{INSIGHT}/due-soon", {"days": 7})
    theirs = api_client(rival).get(f"{INSIGHT}/due-soon")

    assert mine.status_code == 200
    assert [(r["contact"]["id"], r["product"]["name"]) for r in mine.json()] == [
        (customer.pk, "Cake")
    ]
    assert theirs.json() == []


@pytest.mark.parametrize("query", [{"days": "-1"}, {"days": "soon"}, {"day": "7"}])
def test_due_soon_api_refuses_bad_input(seller, query):
    response = api_client(seller).get(f"{INSIGHT}/due-soon", query)

    assert response.status_code == 422


def test_due_soon_page_lists_whom_to_call(seller, customer):
    client = Client()
    client.force_login(seller)

    response = client.get(reverse("sales:due_soon"), {"days": "14"})

    assert response.status_code == 200
    assert customer.full_name in response.content.decode()


def test_due_soon_page_needs_login(db):
    response = Client().get(reverse("sales:due_soon"))

    assert response.status_code == 302


def test_insight_panel_renders_on_the_card(seller, customer):
    panel = next(p for p in panels_for(customer, seller) if p.key == "sales-insight")

    html = render_to_string(panel.template, {"panel": panel, "contact": customer})

    assert "Offer a 10% discount." in html
    assert "Loyal customer" in html
    assert "Juice" in html
    assert "Cake" in html
