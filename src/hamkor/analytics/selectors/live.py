"""The dashboard's pre-aggregated figures computed straight from orders, order by order.

Slow on big data and not used by the pages: the reference the refresh is checked against
(tests), and a way to check the tables by hand from a shell.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

from hamkor.analytics.services.refresh import COHORT_MONTHS, month_index, month_start
from hamkor.core.currency import MissingRateError, convert
from hamkor.sales.selectors.insight import counted_orders, purchase_day


def _converted() -> list[tuple[int | None, int | None, int | None, datetime.date, Decimal]]:
    rows = []
    orders = counted_orders().select_related("contact", "company").order_by("ordered_at", "id")
    for order in orders:
        day = purchase_day(order.ordered_at)
        try:
            amount = convert(order.total, order.currency, on=day)
        except MissingRateError:
            continue
        contact_source = order.contact.source_id if order.contact else None
        company_source = order.company.source_id if order.company else None
        rows.append((order.contact_id, contact_source, company_source, day, amount))
    return rows


def live_monthly() -> dict[tuple[datetime.date, int | None], tuple[int, Decimal, int]]:
    """(month, source) -> (orders, revenue, new customers), from every counted order."""
    orders: Counter[tuple[datetime.date, int | None]] = Counter()
    revenue: dict[tuple[datetime.date, int | None], Decimal] = defaultdict(Decimal)
    first: dict[int, tuple[datetime.date, int | None]] = {}
    for contact_id, contact_source, company_source, day, amount in _converted():
        source = contact_source if contact_source is not None else company_source
        key = (month_start(month_index(day)), source)
        orders[key] += 1
        revenue[key] += amount
        if contact_id is not None and contact_id not in first:
            first[contact_id] = (month_start(month_index(day)), contact_source)
    new = Counter(first.values())
    keys = set(orders) | set(new)
    return {key: (orders[key], revenue.get(key, Decimal("0")), new[key]) for key in keys}


def live_cohorts() -> dict[tuple[datetime.date, int], int]:
    """(cohort month, months later) -> customers of the cohort buying in that month."""
    months: dict[int, set[int]] = defaultdict(set)
    for contact_id, _cs, _os, day, _amount in _converted():
        if contact_id is not None:
            months[contact_id].add(month_index(day))
    cells: Counter[tuple[datetime.date, int]] = Counter()
    for bought in months.values():
        cohort = min(bought)
        for index in bought:
            if index - cohort < COHORT_MONTHS:
                cells[(month_start(cohort), index - cohort)] += 1
    return dict(cells)


def live_churned(*, cutoff: datetime.date) -> set[int]:
    """Contacts whose last counted purchase was before ``cutoff``."""
    last: dict[int, datetime.date] = {}
    for contact_id, _cs, _os, day, _amount in _converted():
        if contact_id is not None:
            last[contact_id] = max(day, last.get(contact_id, day))
    return {contact_id for contact_id, day in last.items() if day < cutoff}
