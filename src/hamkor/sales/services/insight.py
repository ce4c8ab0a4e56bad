"""Writes for purchase insight: purchase cycles, product pairs and the loyal-customer rule.

Everything here is derived from orders and can be recomputed at any time: the nightly job
rebuilds it all, and each changed order refreshes its contact and its products.
"""

from __future__ import annotations

import datetime
import logging
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations, groupby, pairwise
from operator import itemgetter
from typing import cast

from django.db import connection, transaction
from django.db.models.functions import TruncDate
from django.utils import timezone

from hamkor.accounts.models import User
from hamkor.contacts.models import Contact, Stage
from hamkor.contacts.services import ContactInput, update_contact
from hamkor.core.locking import lock_rows
from hamkor.sales.models import Order, PairedOrder, Product, ProductPair, PurchaseCycle
from hamkor.sales.selectors.insight import (
    counted_lines,
    get_loyalty_rule,
    list_loyalty_candidate_ids,
    meets_loyalty_rule,
)

logger = logging.getLogger(__name__)

# A product needs this many distinct purchase days before its rhythm means anything.
MIN_PURCHASE_DAYS = 3
BATCH_SIZE = 5000
STREAM_CHUNK = 20000
# Keeps `IN (...)` lists well under every database's parameter limit.
ID_CHUNK = 500


@dataclass(frozen=True)
class Cycle:
    purchases: int
    typical_gap_days: int
    last_purchased_on: datetime.date
    next_expected_on: datetime.date


def cycle_from_days(days: Sequence[datetime.date]) -> Cycle | None:
    """Median gap between distinct, sorted purchase days (halves round up); None if too few."""
    if len(days) < MIN_PURCHASE_DAYS:
        return None
    gaps = [(later - earlier).days for earlier, later in pairwise(days)]
    median = Decimal(str(statistics.median(gaps)))
    gap = max(1, int(median.to_integral_value(rounding=ROUND_HALF_UP)))
    return Cycle(
        purchases=len(days),
        typical_gap_days=gap,
        last_purchased_on=days[-1],
        next_expected_on=days[-1] + datetime.timedelta(days=gap),
    )


def _chunks(ids: Sequence[int], size: int = ID_CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _purchase_days(contact_ids: Sequence[int] | None) -> Iterator[tuple[int, int, datetime.date]]:
    """(contact, product, day) once per distinct day, sorted: one streaming pass."""
    lines = counted_lines().filter(order__contact__isnull=False)
    if contact_ids is not None:
        lines = lines.filter(order__contact_id__in=contact_ids)
    rows = (
        lines.annotate(day=TruncDate("order__ordered_at", tzinfo=timezone.get_default_timezone()))
        .values_list("order__contact_id", "product_id", "day")
        .distinct()
        .order_by("order__contact_id", "product_id", "day")
    )
    return cast(Iterator[tuple[int, int, datetime.date]], rows.iterator(chunk_size=STREAM_CHUNK))


def _build_cycles(rows: Iterable[tuple[int, int, datetime.date]]) -> Iterator[PurchaseCycle]:
    for (contact_id, product_id), group in groupby(rows, key=itemgetter(0, 1)):
        cycle = cycle_from_days([day for _c, _p, day in group])
        if cycle is not None:
            yield PurchaseCycle(
                contact_id=contact_id,
                product_id=product_id,
                purchases=cycle.purchases,
                typical_gap_days=cycle.typical_gap_days,
                last_purchased_on=cycle.last_purchased_on,
                next_expected_on=cycle.next_expected_on,
            )


def _bulk_insert(model: type[PurchaseCycle] | type[ProductPair], objs: Iterable[object]) -> int:
    created = 0
    batch: list[object] = []
    for obj in objs:
        batch.append(obj)
        if len(batch) >= BATCH_SIZE:
            model.objects.bulk_create(batch)  # type: ignore[arg-type]
            created += len(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)  # type: ignore[arg-type]
        created += len(batch)
    return created


@transaction.atomic
def recompute_purchase_cycles(*, contact_ids: Sequence[int] | None = None) -> int:
    """Rebuild the purchase cycles of the given contacts (all when None); returns how many.

    One pass over distinct (contact, product, day) rows, sorted, so memory stays flat.
    """
    if contact_ids is None:
        PurchaseCycle.objects.all().delete()
        return _bulk_insert(PurchaseCycle, _build_cycles(_purchase_days(None)))
    created = 0
    for chunk in _chunks(sorted(set(contact_ids))):
        PurchaseCycle.objects.filter(contact_id__in=chunk).delete()
        created += _bulk_insert(PurchaseCycle, _build_cycles(_purchase_days(chunk)))
    return created


def _pair_rows(counts: Counter[tuple[int, int]]) -> Iterator[ProductPair]:
    # Stored both ways so "what goes with X" is one indexed lookup on ``product``.
    for (first, second), orders in counts.items():
        yield ProductPair(product_id=first, other_id=second, orders=orders)
        yield ProductPair(product_id=second, other_id=first, orders=orders)


def _encode(products: Sequence[int]) -> str:
    return ",".join(str(product_id) for product_id in products)


def _decode(products: str) -> list[int]:
    return [int(product_id) for product_id in products.split(",") if product_id]


def _lock_all_products() -> None:
    # Order refreshes lock the products whose pairs they change; holding all of them makes
    # a rebuild and a refresh take turns instead of one overwriting the other's work.
    list(Product.objects.select_for_update().order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def recompute_product_pairs() -> int:
    """Rebuild co-occurrence counts from every counted order; returns the rows written.

    One pass over distinct (order, product) rows sorted by order; counts live in memory
    (at most products² pairs), then are written in batches. Each order's products are
    recorded in ``PairedOrder`` so later changes can be applied as deltas.
    """
    _lock_all_products()
    rows = (
        counted_lines()
        .values_list("order_id", "product_id")
        .distinct()
        .order_by("order_id", "product_id")
        .iterator(chunk_size=STREAM_CHUNK)
    )
    PairedOrder.objects.all().delete()
    counts: Counter[tuple[int, int]] = Counter()

    def paired_orders() -> Iterator[tuple[int, str]]:
        for order_id, group in groupby(rows, key=itemgetter(0)):
            products = [product_id for _o, product_id in group]
            if len(products) < 2:
                continue
            # Sorted and distinct, so each unordered pair appears once as (smaller, larger).
            counts.update(combinations(products, 2))
            yield order_id, _encode(products)

    _insert_paired_orders(paired_orders())
    ProductPair.objects.all().delete()
    return _bulk_insert(ProductPair, _pair_rows(counts))


def _insert_paired_orders(rows: Iterable[tuple[int, str]]) -> None:
    """Write (order id, products) rows: one per counted order, 300,000 or more.

    bulk_create would build a model instance per row, which made the rebuild five times
    slower; PostgreSQL takes them fastest through COPY, SQLite through executemany. Rows
    are written a batch at a time: they are read from a streaming cursor on the same
    connection, which cannot fetch while a COPY is open.
    """
    quote = connection.ops.quote_name
    table = quote(PairedOrder._meta.db_table)
    columns = f"{quote('order_id')}, {quote('products')}"
    # Only the model's own table and column names are put into the text, quoted.
    insert = f"INSERT INTO {table} ({columns}) VALUES (%s, %s)"  # noqa: S608
    copy_from = f"COPY {table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:

        def write(batch: list[tuple[int, str]]) -> None:
            if connection.vendor != "postgresql":
                cursor.executemany(insert, batch)
                return
            with cursor.cursor.copy(copy_from) as copy:
                for row in batch:
                    copy.write_row(row)

        batch: list[tuple[int, str]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH_SIZE:
                write(batch)
                batch = []
        if batch:
            write(batch)


def _paired_products(order_id: int) -> list[int]:
    """The products the order adds to pair counts now: sorted, distinct; none if < 2."""
    products = list(
        counted_lines()
        .filter(order_id=order_id)
        .values_list("product_id", flat=True)
        .distinct()
        .order_by("product_id")
    )
    return products if len(products) >= 2 else []


def _apply_pair_deltas(deltas: Counter[tuple[int, int]]) -> None:
    """Add ``deltas`` (keyed (smaller, larger)) to both rows of each pair; 0 removes a pair."""
    products = sorted({product_id for pair in deltas for product_id in pair})
    existing = {
        (row.product_id, row.other_id): row
        for row in ProductPair.objects.filter(product_id__in=products, other_id__in=products)
    }
    changed: list[ProductPair] = []
    created: list[ProductPair] = []
    removed: list[int] = []
    for (first, second), delta in deltas.items():
        for key in ((first, second), (second, first)):
            row = existing.get(key)
            orders = (row.orders if row is not None else 0) + delta
            if row is None:
                if orders > 0:
                    created.append(ProductPair(product_id=key[0], other_id=key[1], orders=orders))
            elif orders > 0:
                row.orders = orders
                changed.append(row)
            else:
                removed.append(row.pk)
    if removed:
        ProductPair.objects.filter(pk__in=removed).delete()
    if changed:
        ProductPair.objects.bulk_update(changed, ["orders"])
    if created:
        ProductPair.objects.bulk_create(created)


@transaction.atomic
def refresh_order_pairs(*, order_id: int) -> bool:
    """Bring pair counts in step with one order by deltas; True if any count changed.

    What the order added last time is kept in ``PairedOrder``; only the difference to its
    products now is applied (a cancelled or deleted order takes all of its pairs back), so
    running it twice changes nothing.
    """
    # One refresh per order at a time (PostgreSQL row lock; SQLite serialises writers).
    lock_rows(Order, order_id)
    locked: set[int] = set()
    while True:
        record = PairedOrder.objects.select_for_update().filter(order_id=order_id).first()
        before = _decode(record.products) if record is not None else []
        after = _paired_products(order_id)
        needed = set(before) | set(after)
        if needed <= locked:
            break
        # Refreshes of orders sharing a product take turns, so read-then-write is safe.
        # Read again once locked: a rebuild may have committed while this one waited.
        lock_rows(Product, *needed)
        locked |= needed
    if before == after:
        return False
    deltas: Counter[tuple[int, int]] = Counter(combinations(after, 2))
    deltas.subtract(Counter(combinations(before, 2)))
    _apply_pair_deltas(Counter({pair: delta for pair, delta in deltas.items() if delta}))
    if not after:
        PairedOrder.objects.filter(order_id=order_id).delete()
    elif record is None:
        PairedOrder.objects.create(order_id=order_id, products=_encode(after))
    else:
        record.products = _encode(after)
        record.save(update_fields=["products"])
    return True


@transaction.atomic
def evaluate_loyalty(*, contact: Contact, actor: User | None = None) -> bool:
    """Mark the contact loyal when the active rule is met; never downgrades. True if loyal."""
    rule = get_loyalty_rule()
    if contact.stage == Stage.LOYAL:
        return True
    if rule is None or not meets_loyalty_rule(contact=contact, rule=rule):
        return False
    locked = lock_rows(Contact, contact.pk)[contact.pk]
    if locked.stage != Stage.LOYAL:
        # System work has no actor; the audit event records None (see core.audit).
        update_contact(
            contact=locked,
            data=ContactInput(values={"stage": Stage.LOYAL}),
            actor=cast(User, actor),
        )
    contact.stage = Stage.LOYAL
    return True


@transaction.atomic
def refresh_contact_insight(*, contact_id: int) -> bool:
    """One contact's cycles and loyalty, after one of their orders changed; False if gone."""
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None:
        return False
    recompute_purchase_cycles(contact_ids=[contact_id])
    evaluate_loyalty(contact=contact)
    return True


@transaction.atomic
def refresh_order_insight(*, order_id: int) -> bool:
    """An order arrived or changed: apply its pair deltas and refresh its contact.

    False if the order is gone (its pairs are still taken back).
    """
    refresh_order_pairs(order_id=order_id)
    order = Order.objects.filter(pk=order_id).values("contact_id").first()
    if order is None:
        return False
    if order["contact_id"] is not None:
        refresh_contact_insight(contact_id=order["contact_id"])
    return True


@dataclass(frozen=True)
class RecomputeResult:
    cycles: int
    pairs: int
    loyal: int


def recompute_insight() -> RecomputeResult:
    """The nightly rebuild: cycles, pairs, then the loyal rule for every active buyer."""
    cycles = recompute_purchase_cycles()
    pairs = recompute_product_pairs()
    loyal = mark_loyal_contacts()
    return RecomputeResult(cycles=cycles, pairs=pairs, loyal=loyal)


def mark_loyal_contacts() -> int:
    """Apply the loyal rule to every contact not yet loyal; returns how many were marked."""
    rule = get_loyalty_rule()
    if rule is None or not rule.is_active:
        return 0
    marked = 0
    for chunk in _chunks(list_loyalty_candidate_ids(rule=rule)):
        for contact in Contact.objects.filter(pk__in=chunk).order_by("pk"):
            # Each contact in its own short transaction (evaluate_loyalty is atomic).
            if evaluate_loyalty(contact=contact):
                marked += 1
    return marked
