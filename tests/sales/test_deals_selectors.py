import datetime
from decimal import Decimal

import pytest

from hamkor.core.models import ExchangeRate
from hamkor.sales.selectors.deals import (
    DealFilters,
    get_board,
    get_deal,
    list_deals,
    list_forecast,
)
from hamkor.sales.services.deals import move_deal
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory
from tests.sales.factories import DealFactory, PipelineFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def usd_rate():
    ExchangeRate.objects.create(date=TODAY, currency="USD", rate=Decimal("12000"))


def _column(board, name):
    return next(c for c in board.columns if c.stage.name == name)


def test_list_deals_shows_own_and_team_deals_only():
    seller = UserFactory()
    mine = DealFactory(contact=ContactFactory(owner=seller))
    teammate = UserFactory(team=seller.team)
    team_deal = DealFactory(contact=ContactFactory(owner=teammate))
    DealFactory(contact=ContactFactory(owner=UserFactory()))

    assert set(list_deals(viewer=seller)) == {mine, team_deal}


def test_list_deals_shows_everything_to_managers():
    DealFactory(), DealFactory()

    assert list_deals(viewer=UserFactory(role="manager")).count() == 2


def test_list_deals_filters_by_stage_and_status():
    manager = UserFactory(role="manager")
    deal = DealFactory()
    proposal = deal.pipeline.stages.get(name="Proposal")
    move_deal(deal=deal, stage=proposal, actor=manager)
    DealFactory(pipeline=deal.pipeline)

    found = list_deals(viewer=manager, filters=DealFilters(stage_id=proposal.pk, status="open"))

    assert list(found) == [deal]


def test_get_deal_loads_history_in_order():
    manager = UserFactory(role="manager")
    deal = DealFactory()
    move_deal(deal=deal, stage=deal.pipeline.stages.get(name="Proposal"), actor=manager)
    move_deal(deal=deal, stage=deal.pipeline.stages.get(name="Won"), actor=manager)

    loaded = get_deal(viewer=manager, pk=deal.pk)

    assert [c.to_stage.name for c in loaded.stage_changes.all()] == ["Proposal", "Won"]


def test_get_board_totals_columns_in_base_currency(usd_rate):
    pipeline = PipelineFactory()
    DealFactory(pipeline=pipeline, amount=Decimal("100"), currency="USD")
    DealFactory(pipeline=pipeline, amount=Decimal("50000"), currency="UZS")

    board = get_board(pipeline=pipeline, viewer=UserFactory(role="manager"), on=TODAY)

    new = _column(board, "New")
    assert new.count == 2
    assert new.total.amount == Decimal("1250000.00")
    assert new.total.currency == "UZS"
    assert _column(board, "Won").total.amount == Decimal("0.00")
    assert [c.stage.name for c in board.columns] == ["New", "Proposal", "Won", "Lost"]


def test_get_board_marks_total_unavailable_when_rate_missing():
    pipeline = PipelineFactory()
    DealFactory(pipeline=pipeline, amount=Decimal("100"), currency="EUR")

    board = get_board(pipeline=pipeline, viewer=UserFactory(role="manager"), on=TODAY)

    new = _column(board, "New")
    assert new.total.amount is None
    assert "EUR" in new.total.error
    assert len(new.deals) == 1


def test_get_board_shows_only_visible_cards():
    seller = UserFactory()
    pipeline = PipelineFactory()
    DealFactory(pipeline=pipeline, contact=ContactFactory(owner=UserFactory()))

    board = get_board(pipeline=pipeline, viewer=seller, on=TODAY)

    assert all(column.count == 0 for column in board.columns)


def test_list_forecast_weights_open_deals_by_month(usd_rate):
    manager = UserFactory(role="manager")
    pipeline = PipelineFactory()
    december = datetime.date(2026, 12, 15)
    DealFactory(pipeline=pipeline, amount=Decimal("100"), expected_close_date=december)
    proposal = DealFactory(
        pipeline=pipeline, amount=Decimal("200"), expected_close_date=datetime.date(2026, 12, 1)
    )
    move_deal(deal=proposal, stage=pipeline.stages.get(name="Proposal"), actor=manager)
    won = DealFactory(pipeline=pipeline, amount=Decimal("999"), expected_close_date=december)
    move_deal(deal=won, stage=pipeline.stages.get(name="Won"), actor=manager)
    DealFactory(
        pipeline=pipeline,
        amount=Decimal("1000000"),
        currency="UZS",
        expected_close_date=datetime.date(2027, 1, 10),
    )

    months = list_forecast(viewer=manager, pipeline=pipeline, on=TODAY)

    assert [m.month for m in months] == [datetime.date(2026, 12, 1), datetime.date(2027, 1, 1)]
    december_row = months[0]
    assert december_row.deals == 2
    assert december_row.amount.amount == Decimal("3600000.00")
    # 100 USD × 10 % + 200 USD × 50 % = 110 USD
    assert december_row.weighted.amount == Decimal("1320000.00")
    assert months[1].weighted.amount == Decimal("100000.00")


def test_list_forecast_reports_missing_rate_without_failing():
    DealFactory(amount=Decimal("100"), currency="EUR", expected_close_date=TODAY)

    months = list_forecast(viewer=UserFactory(role="manager"), on=TODAY)

    assert months[0].weighted.amount is None
    assert "EUR" in months[0].weighted.error


def test_list_forecast_puts_undated_deals_last(usd_rate):
    DealFactory(expected_close_date=None)
    DealFactory(expected_close_date=TODAY)

    months = list_forecast(viewer=UserFactory(role="manager"), on=TODAY)

    assert [m.month for m in months] == [datetime.date(2026, 11, 1), None]
