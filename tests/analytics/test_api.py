"""REST API: dashboard figures, cohorts and a contact's RFM score; permissions, bad input."""

import datetime

import pytest
from django.test import Client

from hamkor.analytics.services import refresh_analytics
from tests.accounts.factories import UserFactory
from tests.analytics.helpers import in_month, month_start, order, today
from tests.api.helpers import api_client
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/analytics"


@pytest.fixture
def manager():
    return UserFactory(role="manager")


def test_dashboard_returns_the_figures(manager):
    buyer = ContactFactory()
    order(buyer, in_month(1), total="400000")
    order(buyer, in_month(0, 1), total="100000")
    refresh_analytics()

    response = api_client(manager).get(f"{BASE}/dashboard", {"months": 2, "churn_days": 10})

    assert response.status_code == 200
    body = response.json()
    assert body["currency"] == "UZS"
    assert body["refreshed_at"] is not None
    assert [(m["month"], m["revenue"]) for m in body["revenue_by_month"]] == [
        (month_start(1).isoformat(), "400000.00"),
        (month_start(0).isoformat(), "100000.00"),
    ]
    assert body["new_customers_by_source"][0]["counts"] == [1, 0]
    assert body["cohorts"][0]["returning"][0] == 1
    assert body["churn"]["days"] == 10
    assert set(body) >= {"pipeline", "meetings_last_week", "follow_ups", "tickets"}


def test_dashboard_refuses_bad_input(manager):
    response = api_client(manager).get(f"{BASE}/dashboard", {"churn_days": 0})

    assert response.status_code == 422
    assert "detail" in response.json()


def test_dashboard_and_cohorts_need_a_token_and_a_manager():
    seller = api_client(UserFactory(role="sales"))

    assert Client().get(f"{BASE}/dashboard").status_code == 401
    refused = seller.get(f"{BASE}/dashboard")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only managers and administrators see the dashboard."
    assert seller.get(f"{BASE}/cohorts").status_code == 403


def test_cohorts_lists_retention(manager):
    contact = ContactFactory()
    order(contact, in_month(3))
    order(contact, in_month(1))
    refresh_analytics()

    body = api_client(manager).get(f"{BASE}/cohorts").json()

    assert [row["cohort"] for row in body] == [month_start(3).isoformat()]
    assert body[0]["customers"] == 1
    assert body[0]["returning"][:4] == [0, 1, 0, None]
    assert body[0]["retention"][:3] == ["0.0", "100.0", "0.0"]


def test_rfm_returns_a_visible_contacts_score():
    seller = UserFactory(role="sales")
    contact = ContactFactory(owner=seller)
    order(contact, today() - datetime.timedelta(days=3), total="99000")
    refresh_analytics()

    response = api_client(seller).get(f"{BASE}/rfm/{contact.pk}")

    assert response.status_code == 200
    body = response.json()
    assert (body["recency"], body["frequency"], body["monetary"], body["code"]) == (
        3, 3, 3, "333",
    )  # fmt: skip
    assert body["group"] == "need_attention"
    assert body["group_name"] == "Need attention"
    assert body["lifetime_value"] == "99000.00"
    assert body["orders"] == 1


def test_rfm_hides_other_teams_contacts_and_missing_scores():
    contact = ContactFactory()
    order(contact, today())
    refresh_analytics()
    outsider = api_client(UserFactory(role="sales"))
    without_orders = ContactFactory()

    hidden = outsider.get(f"{BASE}/rfm/{contact.pk}")
    missing = api_client(UserFactory(role="admin")).get(f"{BASE}/rfm/{without_orders.pk}")

    assert hidden.status_code == 404
    assert missing.status_code == 404
    assert "no RFM score" in missing.json()["detail"]
    assert Client().get(f"{BASE}/rfm/{contact.pk}").status_code == 401
