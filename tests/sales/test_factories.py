from decimal import Decimal

import pytest

from tests.sales.factories import DealFactory, OrderFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_order_factory_totals_its_lines():
    cake, candle = ProductFactory(price=Decimal("150000")), ProductFactory(price=Decimal("5000"))

    order = OrderFactory(lines=[(cake, 2), (candle, 3)])

    assert order.total == Decimal("315000.00")
    assert order.lines.count() == 2


def test_deal_factory_starts_in_first_stage():
    deal = DealFactory()

    assert deal.stage.name == "New"
    assert deal.stage.pipeline == deal.pipeline
