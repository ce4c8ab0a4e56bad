"""Invoice arithmetic, the one place where amounts are rounded.

Rules (all amounts ``Decimal``, rounded half up to the currency's ISO minor unit through
``core.currency.round_money`` — two digits for UZS, KGS and USD, as every other total in
Hamkor; the screen and the PDF then leave out ",00" for so'm when there are no tiyin):

- hours on a time line = the group's minutes / 60, rounded to 2 decimals;
- line net = round(quantity × unit price × (1 − discount / 100));
- line tax = round(line net × tax rate / 100), per line;
- invoice net = Σ line net, tax = Σ line tax, total = net + tax (no rounding of sums).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from hamkor.core.currency import round_money

HUNDRED = Decimal(100)
ZERO = Decimal(0)
HOURS = Decimal("0.01")


@dataclass(frozen=True)
class Totals:
    net: Decimal
    tax: Decimal
    gross: Decimal


def hours_from_minutes(minutes: int) -> Decimal:
    """Minutes as hours, rounded half up to two decimals (95 min -> 1.58)."""
    return (Decimal(minutes) / Decimal(60)).quantize(HOURS, rounding=ROUND_HALF_UP)


def line_net(
    *, quantity: Decimal, unit_price: Decimal, discount_percent: Decimal, currency: str
) -> Decimal:
    """quantity × unit price less the discount, rounded to the currency's minor unit."""
    return round_money(quantity * unit_price * (HUNDRED - discount_percent) / HUNDRED, currency)


def line_tax(*, net: Decimal, tax_rate: Decimal, currency: str) -> Decimal:
    """The tax on one line, rounded on its own (invoices sum rounded line taxes)."""
    return round_money(net * tax_rate / HUNDRED, currency)


def sum_totals(lines: Iterable[tuple[Decimal, Decimal]]) -> Totals:
    """Totals of (line net, line tax) pairs."""
    net = tax = ZERO
    for line_net_amount, tax_amount in lines:
        net += line_net_amount
        tax += tax_amount
    return Totals(net=net, tax=tax, gross=net + tax)
