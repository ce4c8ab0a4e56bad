"""Rebuild the pre-aggregated figures (and RFM scores) from counted orders in one pass.

Every figure here is derived from orders and can be rebuilt at any time. The pass reads
counted orders sorted by contact, so each customer's facts (first and last purchase, order
count, lifetime value, months with a purchase) are complete when the next one starts;
memory holds one small record per customer and the monthly/cohort counters.
"""

from __future__ import annotations

import bisect
import datetime
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from hamkor.analytics.models import (
    CohortFigures,
    LastPurchaseDay,
    MonthlyFigures,
    Refresh,
    RfmScore,
)
from hamkor.analytics.rfm import bounds_of, group_for, score_table, score_with
from hamkor.core.currency import MissingRateError, base_currency, round_money
from hamkor.core.models import ExchangeRate
from hamkor.sales.selectors.insight import counted_orders, purchase_day

logger = logging.getLogger(__name__)

STREAM_CHUNK = 20000
BATCH_SIZE = 5000
# Retention is shown for the month of the first purchase and the eleven after it.
COHORT_MONTHS = 12
# Any number; only PostgreSQL uses it, to let one rebuild run at a time.
_LOCK_KEY = 7_100_417


def month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def month_start(index: int) -> datetime.date:
    return datetime.date(index // 12, index % 12 + 1, 1)


class RateBook:
    """Every exchange rate in memory: the rate of a day is that day's or the nearest earlier."""

    def __init__(self) -> None:
        self.base = base_currency()
        days: dict[str, list[datetime.date]] = defaultdict(list)
        rates: dict[str, list[Decimal]] = defaultdict(list)
        for currency, day, rate in ExchangeRate.objects.order_by("currency", "date").values_list(
            "currency", "date", "rate"
        ):
            days[currency.upper()].append(day)
            rates[currency.upper()].append(rate)
        self._days = dict(days)
        self._rates = dict(rates)

    def to_base(self, amount: Decimal, currency: str, on: datetime.date) -> Decimal:
        """Like ``core.currency.convert`` into the base currency (same rate, same rounding)."""
        code = currency.upper()
        if code == self.base:
            return round_money(amount, code)
        days = self._days.get(code, [])
        position = bisect.bisect_right(days, on)
        if position == 0:
            raise MissingRateError(code, on)
        return round_money(amount * self._rates[code][position - 1], self.base)


@dataclass
class Customer:
    contact_id: int
    first: datetime.date
    last: datetime.date
    orders: int
    value: Decimal


@dataclass
class Pass:
    """What one pass over the counted orders found."""

    customers: list[Customer] = field(default_factory=list)
    # (month index, source id) -> [orders, revenue, new customers]
    monthly: dict[tuple[int, int | None], list[Any]] = field(default_factory=dict)
    cohorts: Counter[tuple[int, int]] = field(default_factory=Counter)
    orders: int = 0
    unconverted: int = 0

    def month(self, index: int, source_id: int | None) -> list[Any]:
        row = self.monthly.get((index, source_id))
        if row is None:
            row = self.monthly[(index, source_id)] = [0, Decimal("0"), 0]
        return row


def _order_rows(contact_ids: Sequence[int] | None = None) -> Iterator[tuple[Any, ...]]:
    orders = counted_orders()
    if contact_ids is not None:
        orders = orders.filter(contact_id__in=contact_ids)
    rows = (
        orders.annotate(source=Coalesce(F("contact__source_id"), F("company__source_id")))
        .values_list(
            "contact_id", "contact__source_id", "source", "ordered_at", "currency", "total"
        )
        .order_by("contact_id", "ordered_at", "id")
    )
    return cast(Iterator[tuple[Any, ...]], rows.iterator(chunk_size=STREAM_CHUNK))


def scan_orders(rows: Iterable[tuple[Any, ...]], rates: RateBook) -> Pass:
    """Fold (contact, its source, order's source, ordered_at, currency, total) rows, sorted by
    contact. Revenue goes to the contact's source (else the company's); new customers to the
    contact's source."""
    result = Pass()
    for contact_id, group in groupby(rows, key=itemgetter(0)):
        months: set[int] = set()
        first: datetime.date | None = None
        last: datetime.date | None = None
        count = 0
        value = Decimal("0")
        source_id: int | None = None
        for _contact, contact_source, source, ordered_at, currency, total in group:
            day = purchase_day(ordered_at)
            try:
                amount = rates.to_base(total, currency, day)
            except MissingRateError:
                result.unconverted += 1
                continue
            result.orders += 1
            row = result.month(month_index(day), source)
            row[0] += 1
            row[1] += amount
            if contact_id is None:
                continue  # A company's order: revenue, but no customer facts.
            source_id = contact_source
            first = day if first is None else first
            last = day
            count += 1
            value += amount
            months.add(month_index(day))
        if contact_id is None or first is None or last is None:
            continue
        result.customers.append(Customer(contact_id, first, last, count, value))
        cohort = month_index(first)
        result.month(cohort, source_id)[2] += 1
        for index in months:
            if index - cohort < COHORT_MONTHS:
                result.cohorts[(cohort, index - cohort)] += 1
    return result


@dataclass(frozen=True)
class Scoring:
    recency: list[Any]
    frequency: list[Any]
    monetary: list[Any]


def score_customers(
    customers: Sequence[Customer],
) -> tuple[dict[int, tuple[int, int, int]], Scoring]:
    """(recency, frequency, monetary) per contact id, and the boundaries that produced them."""
    recency = score_table([customer.last.toordinal() for customer in customers])
    frequency = score_table([customer.orders for customer in customers])
    monetary = score_table([customer.value for customer in customers])
    scores = {
        customer.contact_id: (
            recency[customer.last.toordinal()],
            frequency[customer.orders],
            monetary[customer.value],
        )
        for customer in customers
    }
    scoring = Scoring(
        recency=[
            datetime.date.fromordinal(bound).isoformat() if bound is not None else None
            for bound in bounds_of(recency)
        ],
        frequency=bounds_of(frequency),
        monetary=[str(bound) if bound is not None else None for bound in bounds_of(monetary)],
    )
    return scores, scoring


def _insert(model: type[Any], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write rows fast: COPY on PostgreSQL, executemany elsewhere, a batch at a time."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    # Only the model's own table and column names are put into the text, quoted.
    insert = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
    copy_from = f"COPY {table} ({names}) FROM STDIN"
    with connection.cursor() as cursor:

        def write(batch: list[Sequence[Any]]) -> None:
            if connection.vendor != "postgresql":
                cursor.executemany(insert, batch)
                return
            with cursor.cursor.copy(copy_from) as copy:
                for row in batch:
                    copy.write_row(row)

        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH_SIZE:
                write(batch)
                batch = []
        if batch:
            write(batch)


def _write_rfm(customers: Sequence[Customer], now: datetime.datetime) -> Scoring:
    scores, scoring = score_customers(customers)
    RfmScore.objects.all().delete()

    def rows() -> Iterator[Sequence[Any]]:
        for customer in customers:
            recency, frequency, monetary = scores[customer.contact_id]
            yield (
                customer.contact_id,
                recency,
                frequency,
                monetary,
                group_for(recency, frequency).value,
                customer.first,
                customer.last,
                customer.orders,
                customer.value,
                now,
            )

    _insert(
        RfmScore,
        [
            "contact_id",
            "recency",
            "frequency",
            "monetary",
            "group",
            "first_order_on",
            "last_order_on",
            "orders",
            "lifetime_value",
            "computed_at",
        ],
        rows(),
    )
    return scoring


def _write_figures(found: Pass) -> None:
    MonthlyFigures.objects.all().delete()
    _insert(
        MonthlyFigures,
        ["month", "source_id", "orders", "revenue", "new_customers"],
        (
            (month_start(index), source_id, orders, revenue, new)
            for (index, source_id), (orders, revenue, new) in sorted(
                found.monthly.items(), key=lambda item: (item[0][0], item[0][1] or 0)
            )
        ),
    )
    CohortFigures.objects.all().delete()
    _insert(
        CohortFigures,
        ["cohort", "offset", "customers"],
        ((month_start(cohort), offset, n) for (cohort, offset), n in sorted(found.cohorts.items())),
    )
    LastPurchaseDay.objects.all().delete()
    last_days = Counter(customer.last for customer in found.customers)
    _insert(LastPurchaseDay, ["day", "customers"], sorted(last_days.items()))


@transaction.atomic
def refresh_analytics(*, with_rfm: bool = True) -> Refresh:
    """Rebuild the dashboard's figures (and, ``with_rfm``, every RFM score) from orders.

    One transaction: readers see the old figures until the new ones are all written.
    """
    started = time.monotonic()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    found = scan_orders(_order_rows(), RateBook())
    now = timezone.now()
    previous = Refresh.objects.filter(with_rfm=True).order_by("-finished_at", "-id").first()
    if with_rfm:
        scoring = _write_rfm(found.customers, now)
    elif previous is not None:
        scoring = Scoring(
            previous.recency_bounds, previous.frequency_bounds, previous.monetary_bounds
        )
    else:
        scoring = Scoring([], [], [])
    _write_figures(found)
    refresh = Refresh.objects.create(
        finished_at=timezone.now(),
        seconds=round(time.monotonic() - started, 3),
        with_rfm=with_rfm or previous is not None,
        customers=len(found.customers),
        orders=found.orders,
        unconverted_orders=found.unconverted,
        recency_bounds=scoring.recency,
        frequency_bounds=scoring.frequency,
        monetary_bounds=scoring.monetary,
    )
    Refresh.objects.exclude(pk=refresh.pk).delete()
    logger.info(
        "analytics refreshed",
        extra={"seconds": refresh.seconds, "customers": refresh.customers, "rfm": with_rfm},
    )
    return refresh


def _stored_bounds() -> Scoring:
    latest = Refresh.objects.filter(with_rfm=True).order_by("-finished_at", "-id").first()
    if latest is None:
        return Scoring([], [], [])
    return Scoring(latest.recency_bounds, latest.frequency_bounds, latest.monetary_bounds)


def _parse(bounds: Sequence[Any], kind: type[Any]) -> list[Any]:
    if kind is datetime.date:
        return [
            datetime.date.fromisoformat(bound).toordinal() if bound is not None else None
            for bound in bounds
        ]
    return [kind(bound) if bound is not None else None for bound in bounds]


@transaction.atomic
def refresh_contact_rfm(*, contact_id: int) -> RfmScore | None:
    """Re-score one contact against the last run's boundaries, after their orders changed.

    No counted orders any more: the score is removed. Safe to run twice.
    """
    found = scan_orders(_order_rows([contact_id]), RateBook())
    if not found.customers:
        RfmScore.objects.filter(contact_id=contact_id).delete()
        return None
    customer = found.customers[0]
    bounds = _stored_bounds()
    recency = score_with(customer.last.toordinal(), _parse(bounds.recency, datetime.date))
    frequency = score_with(customer.orders, _parse(bounds.frequency, int))
    monetary = score_with(customer.value, _parse(bounds.monetary, Decimal))
    score, _created = RfmScore.objects.update_or_create(
        contact_id=contact_id,
        defaults={
            "recency": recency,
            "frequency": frequency,
            "monetary": monetary,
            "group": group_for(recency, frequency),
            "first_order_on": customer.first,
            "last_order_on": customer.last,
            "orders": customer.orders,
            "lifetime_value": customer.value,
            "computed_at": timezone.now(),
        },
    )
    return score
