import datetime
from decimal import Decimal

import pytest

from hamkor.sales.models import Deal, DealStageChange
from tests.accounts.factories import UserFactory
from tests.api.helpers import api_client, send
from tests.contacts.factories import ContactFactory
from tests.sales.factories import DealFactory, PipelineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller():
    return UserFactory(username="rustam")


@pytest.fixture
def client(seller):
    return api_client(seller)


def test_list_deals_returns_visible_items_and_count(client, seller):
    mine = DealFactory(contact=ContactFactory(owner=seller))
    DealFactory(contact=ContactFactory(owner=UserFactory()))

    response = client.get("/api/v1/deals", {"pipeline_id": mine.pipeline_id})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == mine.pk
    assert body["items"][0]["amount"] == "1000.00"


def test_list_deals_refuses_unknown_parameter(client):
    response = client.get("/api/v1/deals", {"stage": "New"})

    assert response.status_code == 422
    assert "stage" in response.json()["detail"]


def test_list_deals_refuses_unknown_status(client):
    response = client.get("/api/v1/deals", {"status": "maybe"})

    assert response.status_code == 422


def test_create_deal_starts_in_first_stage(client, seller):
    pipeline = PipelineFactory()
    contact = ContactFactory(owner=seller)

    response = send(
        client,
        "post",
        "/api/v1/deals",
        {
            "title": "Website",
            "pipeline_id": pipeline.pk,
            "contact_id": contact.pk,
            "amount": "2500.50",
            "currency": "USD",
            "expected_close_date": "2026-12-20",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"]["name"] == "New"
    assert body["owner"]["username"] == "rustam"
    assert [c["to_stage"]["name"] for c in body["stage_history"]] == ["New"]


def test_create_deal_with_invisible_contact_is_a_field_error(client):
    response = send(
        client,
        "post",
        "/api/v1/deals",
        {
            "title": "Website",
            "pipeline_id": PipelineFactory().pk,
            "contact_id": ContactFactory(owner=UserFactory()).pk,
            "currency": "USD",
        },
    )

    assert response.status_code == 422
    assert "contact_id" in response.json()["detail"]
    assert not Deal.objects.exists()


def test_create_deal_needs_title(client):
    response = send(client, "post", "/api/v1/deals", {"pipeline_id": PipelineFactory().pk})

    assert response.status_code == 422
    assert "title" in response.json()["detail"]


def test_get_deal_of_another_team_is_not_found(client):
    deal = DealFactory(contact=ContactFactory(owner=UserFactory()))

    response = client.get(f"/api/v1/deals/{deal.pk}")

    assert response.status_code == 404
    assert response.json()["detail"]


def test_patch_deal_changes_only_sent_fields(client, seller):
    deal = DealFactory(contact=ContactFactory(owner=seller))

    response = send(client, "patch", f"/api/v1/deals/{deal.pk}", {"amount": "75.00"})

    assert response.status_code == 200
    deal.refresh_from_db()
    assert deal.amount == Decimal("75.00")
    assert deal.title == response.json()["title"]


def test_patch_deal_refuses_negative_amount(client, seller):
    deal = DealFactory(contact=ContactFactory(owner=seller))

    response = send(client, "patch", f"/api/v1/deals/{deal.pk}", {"amount": "-1"})

    assert response.status_code == 422


def test_move_deal_records_history(client, seller):
    deal = DealFactory(contact=ContactFactory(owner=seller))
    proposal = deal.pipeline.stages.get(name="Proposal")

    response = send(client, "post", f"/api/v1/deals/{deal.pk}/move", {"stage_id": proposal.pk})

    assert response.status_code == 200
    history = response.json()["stage_history"]
    assert history[-1]["to_stage"]["name"] == "Proposal"
    assert history[-1]["changed_by"]["username"] == "rustam"


def test_move_deal_to_lost_without_reason_says_what_to_fix(client, seller):
    deal = DealFactory(contact=ContactFactory(owner=seller))
    lost = deal.pipeline.stages.get(name="Lost")

    response = send(client, "post", f"/api/v1/deals/{deal.pk}/move", {"stage_id": lost.pk})

    assert response.status_code == 422
    assert "lost_reason" in response.json()["detail"]
    assert not DealStageChange.objects.filter(deal=deal).exists()


def test_move_deal_to_stage_of_another_pipeline_is_refused(client, seller):
    deal = DealFactory(contact=ContactFactory(owner=seller))
    other = PipelineFactory().stages.get(name="Won")

    response = send(client, "post", f"/api/v1/deals/{deal.pk}/move", {"stage_id": other.pk})

    assert response.status_code == 422
    assert "stage" in response.json()["detail"]


def test_move_deal_of_another_team_is_not_found(client):
    deal = DealFactory(contact=ContactFactory(owner=UserFactory()))
    won = deal.pipeline.stages.get(name="Won")

    response = send(client, "post", f"/api/v1/deals/{deal.pk}/move", {"stage_id": won.pk})

    assert response.status_code == 404


def test_list_pipelines_includes_stages(client):
    PipelineFactory(name="Agency")

    response = client.get("/api/v1/deals/pipelines")

    assert response.status_code == 200
    agency = next(p for p in response.json()["items"] if p["name"] == "Agency")
    assert [s["name"] for s in agency["stages"]] == ["New", "Proposal", "Won", "Lost"]


def test_forecast_by_month(client, seller):
    deal = DealFactory(
        contact=ContactFactory(owner=seller),
        currency="UZS",
        amount=Decimal("1000000"),
        expected_close_date=datetime.date(2026, 12, 5),
    )

    response = client.get("/api/v1/deals/forecast", {"pipeline_id": deal.pipeline_id})

    assert response.status_code == 200
    body = response.json()
    assert body["currency"] == "UZS"
    assert body["items"] == [
        {
            "month": "2026-12",
            "deals": 1,
            "amount": "1000000.00",
            "weighted": "100000.00",
            "error": "",
        }
    ]


def test_forecast_with_unknown_pipeline_is_a_field_error(client):
    response = client.get("/api/v1/deals/forecast", {"pipeline_id": 999999})

    assert response.status_code == 422
    assert "pipeline_id" in response.json()["detail"]
