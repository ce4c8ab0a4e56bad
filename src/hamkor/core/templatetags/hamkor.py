"""Template filters for money, numbers and phones in the user's locale."""

from __future__ import annotations

from decimal import Decimal

from django import template

from hamkor.core.money import format_money, format_number
from hamkor.core.phones import format_phone

register = template.Library()


@register.filter
def money(amount: Decimal | int | float | None, currency: str) -> str:
    if amount is None:
        return ""
    return format_money(amount, currency)


@register.filter
def number(value: Decimal | int | float | None) -> str:
    if value is None:
        return ""
    return format_number(value)


@register.filter
def phone(e164: str) -> str:
    return format_phone(e164)
