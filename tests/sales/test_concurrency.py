"""Versions on deals: a board move or another edit made meanwhile is not overwritten."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from hamkor.core.versioning import EditConflict
from hamkor.sales.models import Deal
from hamkor.sales.services.deals import move_deal, update_deal
from tests.accounts.factories import UserFactory
from tests.api.helpers import api_client
from tests.contacts.factories import ContactFactory
from tests.races import race
from tests.sales.factories import DealFactory

DEALS = "/api/v1/deals"


@pytest.fixture
def user(client):
    user = UserFactory(username="rustam")
    client.force_login(user)
    return user


@pytest.fixture
def deal(user):
    return DealFactory(title="Agency site", contact=ContactFactory(owner=user), amount=100)


def deal_form(deal, user, **overrides):
    data = {
        "title": deal.title,
        "contact": deal.contact_id,
        "amount": "100",
        "currency": deal.currency,
        "owner": user.pk,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_deal_edit_after_a_board_move_shows_the_move_and_keeps_typed_values(client, deal, user):
    proposal = deal.pipeline.stages.get(name="Proposal")
    move_deal(deal=Deal.objects.get(pk=deal.pk), stage=proposal, actor=UserFactory())

    response = client.post(
        reverse("sales:deal_edit", args=[deal.pk]),
        deal_form(deal, user, amount="250", version="1"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this deal while you were editing:" in page
    assert "Proposal" in page
    assert 'name="amount" value="250"' in page
    assert 'name="version" value="2"' in page
    stored = Deal.objects.get(pk=deal.pk)
    assert (stored.amount, stored.stage) == (Decimal("100"), proposal)


@pytest.mark.django_db
def test_deal_edit_saved_again_with_the_new_version_applies(client, deal, user):
    update_deal(deal=Deal.objects.get(pk=deal.pk), values={"notes": "Call"}, actor=user)

    response = client.post(
        reverse("sales:deal_edit", args=[deal.pk]),
        deal_form(deal, user, amount="250", version="2"),
    )

    assert response.status_code == 302
    stored = Deal.objects.get(pk=deal.pk)
    assert (stored.amount, stored.version) == (Decimal("250"), 3)


@pytest.mark.django_db
def test_deal_api_stale_if_match_is_412_and_matching_applies(deal, user):
    client = api_client(user)
    etag = client.get(f"{DEALS}/{deal.pk}")["ETag"]
    update_deal(deal=Deal.objects.get(pk=deal.pk), values={"notes": "Call"}, actor=user)

    stale = client.patch(
        f"{DEALS}/{deal.pk}",
        data=json.dumps({"amount": "300"}),
        content_type="application/json",
        headers={"If-Match": etag},
    )
    fresh = client.patch(
        f"{DEALS}/{deal.pk}",
        data=json.dumps({"amount": "300"}),
        content_type="application/json",
        headers={"If-Match": stale["ETag"]},
    )

    assert etag == '"1"'
    assert stale.status_code == 412
    assert stale.json()["current"]["notes"] == "Call"
    assert [c["field"] for c in stale.json()["changes"]] == ["notes"]
    assert fresh.status_code == 200
    assert fresh.json()["version"] == 3
    assert Deal.objects.get(pk=deal.pk).amount == Decimal("300")


@pytest.mark.django_db
def test_move_deal_bumps_version():
    deal = DealFactory()
    proposal = deal.pipeline.stages.get(name="Proposal")

    move_deal(deal=deal, stage=proposal, actor=None)

    assert Deal.objects.get(pk=deal.pk).version == 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_update_deal_racing_with_one_version_lets_exactly_one_win():
    if connection.vendor != "postgresql":
        # The SQLite pass skips it; the PostgreSQL pass (required in CI) runs it.
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time, so nothing races")
    deal = DealFactory()

    def edit(index):
        return update_deal(
            deal=Deal.objects.get(pk=deal.pk),
            values={"notes": f"Note {index}"},
            actor=None,
            expected_version=1,
        )

    won, refused, failed = race(edit, 4, expected=(EditConflict,))

    assert failed == []
    assert (len(won), len(refused)) == (1, 3)
    stored = Deal.objects.get(pk=deal.pk)
    assert (stored.version, stored.notes) == (2, won[0].notes)
