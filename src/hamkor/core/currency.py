"""Converting money between currencies at the rate of a given day."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import get_currency_precision
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hamkor.core.models import ExchangeRate


class MissingRateError(ValidationError):
    """No rate for a currency on or before the day asked for."""

    def __init__(self, currency: str, on: datetime.date) -> None:
        super().__init__(
            _("There is no %(currency)s exchange rate on or before %(date)s; import rates first.")
            % {"currency": currency, "date": on.isoformat()},
            code="missing_rate",
        )
        self.currency = currency
        self.on = on


def base_currency() -> str:
    return str(settings.HAMKOR_BASE_CURRENCY).upper()


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor unit (2 digits for UZS and USD, 0 for JPY)."""
    digits = get_currency_precision(currency.upper())
    return amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def rate_on(currency: str, on: datetime.date) -> Decimal:
    """Base-currency units for one unit of ``currency``: that day's rate or the nearest earlier."""
    code = currency.upper()
    if code == base_currency():
        return Decimal(1)
    rate = (
        ExchangeRate.objects.filter(currency=code, date__lte=on)
        .order_by("-date")
        .values_list("rate", flat=True)
        .first()
    )
    if rate is None:
        raise MissingRateError(code, on)
    return rate


def convert(amount: Decimal, currency: str, *, on: datetime.date, to: str | None = None) -> Decimal:
    """``amount`` in ``currency`` expressed in ``to`` (the base currency by default), rounded."""
    source, target = currency.upper(), (to or base_currency()).upper()
    if source == target:
        return round_money(amount, target)
    in_base = amount * rate_on(source, on)
    result = in_base if target == base_currency() else in_base / rate_on(target, on)
    return round_money(result, target)
