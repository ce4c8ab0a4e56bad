import datetime
from decimal import Decimal

import pytest

from hamkor.core.currency import MissingRateError, convert, rate_on, round_money
from hamkor.core.models import ExchangeRate

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 2)


@pytest.fixture
def rates():
    ExchangeRate.objects.create(date=DAY, currency="USD", rate=Decimal("12000"))
    ExchangeRate.objects.create(
        date=DAY - datetime.timedelta(days=5), currency="KGS", rate=Decimal("137.5")
    )


def test_convert_to_base_uses_that_days_rate(rates):
    assert convert(Decimal("2.50"), "USD", on=DAY) == Decimal("30000.00")


def test_convert_uses_nearest_earlier_rate(rates):
    assert rate_on("USD", DAY + datetime.timedelta(days=3)) == Decimal("12000")


def test_convert_between_two_foreign_currencies_goes_through_base(rates):
    assert convert(Decimal("100"), "USD", on=DAY, to="KGS") == Decimal("8727.27")


def test_convert_without_earlier_rate_is_a_clear_error(rates):
    with pytest.raises(MissingRateError) as error:
        convert(Decimal("1"), "USD", on=DAY - datetime.timedelta(days=1))

    assert "USD" in error.value.messages[0]
    assert "2026-11-01" in error.value.messages[0]


def test_base_currency_needs_no_rate():
    assert convert(Decimal("1250000"), "UZS", on=DAY) == Decimal("1250000.00")


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [("10.005", "USD", "10.01"), ("10.004", "USD", "10.00"), ("1999.5", "JPY", "2000")],
)
def test_round_money_half_up_to_minor_unit(amount, currency, expected):
    assert round_money(Decimal(amount), currency) == Decimal(expected)
