"""REST API: segments (+ count and members), campaigns, the report, sends; roles and bad input."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from hamkor.accounts.models import Role
from hamkor.marketing.models import Campaign, Segment
from tests.accounts.factories import UserFactory
from tests.api.helpers import api_client, send
from tests.contacts.factories import ContactFactory
from tests.marketing.factories import (
    CampaignFactory,
    ConsentFactory,
    ManagerFactory,
    SegmentFactory,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/marketing"
TASHKENT = {"match": "all", "rules": [{"field": "city", "value": ["Tashkent"]}]}


@pytest.fixture
def manager():
    return ManagerFactory()


def test_create_segment_then_count_and_list_members(manager):
    ContactFactory(city="Tashkent", first_name="Aziza", last_name="Aliyeva")
    ContactFactory(city="Tashkent", first_name="Bobur", last_name="Bakirov")
    ContactFactory(city="Bukhara")
    client = api_client(manager)

    created = send(client, "post", f"{BASE}/segments", {"name": "Tashkent", "rules": TASHKENT})
    pk = created.json()["id"]
    count = client.get(f"{BASE}/segments/{pk}/count").json()
    page = client.get(f"{BASE}/segments/{pk}/members?limit=1").json()
    second = client.get(f"{BASE}/segments/{pk}/members?limit=1&after={page['next']}").json()

    assert created.status_code == 201
    assert count == {"count": 2}
    assert [m["last_name"] for m in page["items"] + second["items"]] == ["Aliyeva", "Bakirov"]
    assert second["next"] is None


def test_live_count_of_unsaved_rules_is_scoped_to_the_viewer():
    seller = UserFactory(role=Role.SALES)
    ContactFactory(city="Tashkent", owner=seller)
    ContactFactory(city="Tashkent")

    response = send(api_client(seller), "post", f"{BASE}/segments/count", {"rules": TASHKENT})

    assert response.json() == {"count": 1}


def test_freeze_segment(manager):
    ContactFactory(city="Tashkent")
    segment = SegmentFactory(rules=TASHKENT)
    client = api_client(manager)

    frozen = client.post(f"{BASE}/segments/{segment.pk}/freeze").json()
    ContactFactory(city="Tashkent")

    assert frozen["kind"] == "frozen"
    assert client.get(f"{BASE}/segments/{segment.pk}/count").json() == {"count": 1}


def test_segment_bad_rules_is_422(manager):
    response = send(
        api_client(manager),
        "post",
        f"{BASE}/segments",
        {"name": "Bad", "rules": {"rules": [{"field": "shoe_size", "value": 1}]}},
    )

    assert response.status_code == 422
    assert "shoe_size" in response.json()["errors"]["rules"][0]
    assert not Segment.objects.exists()


def test_segment_writes_need_a_manager():
    seller = api_client(UserFactory(role=Role.SALES))
    segment = SegmentFactory()

    created = send(seller, "post", f"{BASE}/segments", {"name": "Mine", "rules": {}})
    deleted = seller.delete(f"{BASE}/segments/{segment.pk}")

    assert (created.status_code, deleted.status_code) == (403, 403)
    assert Segment.objects.count() == 1


def test_anonymous_gets_401():
    assert Client().get(f"{BASE}/segments").status_code == 401
    assert Client().get(f"{BASE}/effectiveness?start=2026-01-01&end=2026-01-31").status_code == 401


def test_unknown_segment_is_404(manager):
    assert api_client(manager).get(f"{BASE}/segments/999/members").status_code == 404


def test_campaign_crud(manager):
    client = api_client(manager)
    payload = {
        "name": "Radio spring",
        "channel": "radio",
        "starts_on": "2026-03-01",
        "cost": "2500000",
        "currency": "uzs",
        "utm_campaign": "Radio-Spring",
    }

    created = send(client, "post", f"{BASE}/campaigns", payload)
    pk = created.json()["id"]
    changed = send(client, "put", f"{BASE}/campaigns/{pk}", {**payload, "cost": "3000000"})
    listed = client.get(f"{BASE}/campaigns").json()
    deleted = client.delete(f"{BASE}/campaigns/{pk}")

    assert created.status_code == 201
    assert created.json()["currency"] == "UZS"
    assert created.json()["utm_campaign"] == "radio-spring"
    assert changed.json()["cost"] == "3000000.00"
    assert [c["name"] for c in listed] == ["Radio spring"]
    assert deleted.status_code == 204
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_on": "2026-02-01"}, "ends_on"),
        ({"currency": "U$D"}, "currency"),
        ({"channel": "pigeon"}, None),
        ({"cost": "-5"}, None),
    ],
)
def test_campaign_bad_input_is_422(manager, changes, field):
    payload = {"name": "X", "channel": "radio", "starts_on": "2026-03-01", "currency": "UZS"}

    response = send(api_client(manager), "post", f"{BASE}/campaigns", {**payload, **changes})

    assert response.status_code == 422
    if field:
        assert field in response.json()["errors"]


def test_campaign_utm_code_is_unique(manager):
    CampaignFactory(utm_campaign="spring")
    payload = {
        "name": "X",
        "channel": "radio",
        "starts_on": "2026-03-01",
        "currency": "UZS",
        "utm_campaign": "SPRING",
    }

    response = send(api_client(manager), "post", f"{BASE}/campaigns", payload)

    assert response.status_code == 422
    assert "utm_campaign" in response.json()["errors"]


def test_effectiveness_report(manager, settings):
    settings.HAMKOR_BASE_CURRENCY = "UZS"
    CampaignFactory(name="Free", starts_on=datetime.date(2026, 1, 1))
    CampaignFactory(name="Paid", starts_on=datetime.date(2026, 1, 1), cost=Decimal("500000"))

    body = api_client(manager).get(f"{BASE}/effectiveness?start=2026-01-01&end=2026-01-31").json()

    assert body["currency"] == "UZS"
    assert [(r["name"], r["cost"], r["roi"]) for r in body["campaigns"]] == [
        ("Paid", "500000.00", "-1.0000"),
        ("Free", "0.00", None),
    ]


def test_effectiveness_needs_a_manager_and_a_valid_window(manager):
    seller = api_client(UserFactory(role=Role.SALES))

    assert seller.get(f"{BASE}/effectiveness?start=2026-01-01&end=2026-01-31").status_code == 403
    backwards = api_client(manager).get(f"{BASE}/effectiveness?start=2026-02-01&end=2026-01-01")
    assert backwards.status_code == 400
    assert api_client(manager).get(f"{BASE}/effectiveness?start=soon").status_code == 422


def test_send_create_and_status(manager):
    contact = ContactFactory(city="Tashkent", email="a@example.com")
    ConsentFactory(contact=contact, channel="email")
    ContactFactory(city="Tashkent")
    segment = SegmentFactory(rules=TASHKENT)
    client = api_client(manager)

    preview = client.get(f"{BASE}/segments/{segment.pk}/preview?channel=email").json()
    created = send(
        client,
        "post",
        f"{BASE}/sends",
        {"segment_id": segment.pk, "channel": "email", "subject": "News", "body": "Hi"},
    )

    assert preview == {
        "members": 2,
        "recipients": 1,
        "unsubscribed": 0,
        "no_consent": 1,
        "no_address": 0,
    }
    assert created.status_code == 201
    assert created.json()["total"] == 1
    status = client.get(f"{BASE}/sends/{created.json()['id']}").json()
    assert status["id"] == created.json()["id"]


def test_send_needs_a_manager_and_a_body(manager):
    segment = SegmentFactory()
    payload = {"segment_id": segment.pk, "channel": "sms", "body": ""}

    forbidden = send(api_client(UserFactory(role=Role.SALES)), "post", f"{BASE}/sends", payload)
    empty = send(api_client(manager), "post", f"{BASE}/sends", payload)

    assert forbidden.status_code == 403
    assert empty.status_code == 422


def test_effectiveness_refuses_numbers_and_far_years_as_dates(manager):
    client = api_client(manager)

    numeric = client.get(f"{BASE}/effectiveness?start=0&end=1.5")
    far = client.get(f"{BASE}/effectiveness?start=2026-01-01&end=9999-12-31")

    assert numeric.status_code == 422
    assert "YYYY-MM-DD" in str(numeric.json()["errors"])
    assert far.status_code == 400
    assert "between the years 1900 and 2999" in far.json()["detail"]


def test_segment_count_refuses_a_list_body(manager):
    answer = api_client(manager).post(
        f"{BASE}/segments/count", data="[]", content_type="application/json"
    )

    assert answer.status_code == 422
