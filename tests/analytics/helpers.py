"""Dates relative to today (the tests run on any day) and orders at a given local day."""

import datetime
from decimal import Decimal

from django.utils import timezone

from hamkor.sales.models import OrderStatus
from tests.sales.factories import OrderFactory


def today() -> datetime.date:
    return timezone.localdate()


def month_start(months_ago: int) -> datetime.date:
    """The first day of the month ``months_ago`` before the current one."""
    now = today()
    index = now.year * 12 + now.month - 1 - months_ago
    return datetime.date(index // 12, index % 12 + 1, 1)


def in_month(months_ago: int, day: int = 10) -> datetime.date:
    return month_start(months_ago).replace(day=day)


def noon(day: datetime.date) -> datetime.datetime:
    """Midday of a local day (Tashkent), so time zones never move it to another day."""
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_default_timezone())


def order(contact, day, total="100000", currency="UZS", status=OrderStatus.PAID, **extra):
    return OrderFactory(
        contact=contact,
        ordered_at=noon(day),
        total=Decimal(total),
        currency=currency,
        status=status,
        **extra,
    )
