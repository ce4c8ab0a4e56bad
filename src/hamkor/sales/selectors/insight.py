"""Reads for purchase insight: customer summary, purchase cycles, recommendations, loyalty."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DateField, Func, QuerySet, Sum
from django.utils import timezone

from hamkor.accounts.models import User
from hamkor.contacts.models import Contact, Stage
from hamkor.contacts.selectors import visible
from hamkor.core.currency import MissingRateError, base_currency, convert, rate_on, round_money
from hamkor.sales.models import (
    LoyaltyRule,
    Order,
    OrderLine,
    OrderStatus,
    Product,
    ProductPair,
    PurchaseCycle,
)

# Drafts are not sales yet and cancelled orders never were.
COUNTED_STATUSES = (OrderStatus.CONFIRMED, OrderStatus.PAID)
FAVOURITES = 3
RECOMMENDATIONS = 5
DUE_SOON_DAYS = 7


class AddDays(Func):
    """``date + days`` (an integer column) on SQLite and PostgreSQL."""

    arity = 2
    arg_joiner = " + "
    template = "(%(expressions)s)"
    output_field = DateField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", ",
            **extra_context,
        )


def purchase_day(moment: datetime.datetime) -> datetime.date:
    """The calendar day of a purchase in the organisation's time zone."""
    return timezone.localdate(moment, timezone.get_default_timezone())


def counted_orders() -> QuerySet[Order]:
    """Orders that count as purchases (confirmed or paid)."""
    return Order.objects.filter(status__in=COUNTED_STATUSES)


def counted_lines() -> QuerySet[OrderLine]:
    """Lines of counted orders that name a product."""
    return OrderLine.objects.filter(order__status__in=COUNTED_STATUSES, product__isnull=False)


@dataclass(frozen=True)
class MissingRate:
    currency: str
    on: datetime.date


@dataclass(frozen=True)
class FavouriteProduct:
    product: Product
    times: int
    quantity: Decimal


@dataclass
class CustomerSummary:
    currency: str
    lifetime_value: Decimal
    orders: int
    average_order: Decimal | None
    first_purchase_at: datetime.datetime | None
    last_purchase_at: datetime.datetime | None
    favourites: list[FavouriteProduct] = field(default_factory=list)
    # Orders left out of the lifetime value because their currency had no rate that day.
    missing_rates: list[MissingRate] = field(default_factory=list)


@dataclass(frozen=True)
class Recommendation:
    product: Product
    score: int


@dataclass
class ContactInsight:
    summary: CustomerSummary
    cycles: list[PurchaseCycle]
    due_soon: list[PurchaseCycle]
    recommendations: list[Recommendation]
    loyalty_discount: Decimal | None
    is_loyal: bool


def _counted_order_rows(contact_id: int) -> list[tuple[str, Decimal, datetime.datetime]]:
    """(currency, total, ordered_at) of the contact's counted orders, oldest first."""
    rows = (
        counted_orders()
        .filter(contact_id=contact_id)
        .values_list("currency", "total", "ordered_at")
        .order_by("ordered_at", "id")
    )
    return list(rows)


def _lifetime_value(
    rows: Sequence[tuple[str, Decimal, datetime.datetime]],
) -> tuple[Decimal, int, list[MissingRate]]:
    base = base_currency()
    total = Decimal(0)
    converted = 0
    missing: dict[tuple[str, datetime.date], MissingRate] = {}
    for currency, amount, ordered_at in rows:
        on = purchase_day(ordered_at)
        try:
            total += convert(amount, currency, on=on)
        except MissingRateError as error:
            missing.setdefault((error.currency, on), MissingRate(error.currency, on))
            continue
        converted += 1
    return round_money(total, base), converted, list(missing.values())


def get_lifetime_value(*, contact_id: int) -> tuple[Decimal, int, list[MissingRate]]:
    """Base-currency total of counted orders, each at its day's rate; (value, converted, missing).

    An order whose currency has no rate is left out and reported, never guessed.
    """
    return _lifetime_value(_counted_order_rows(contact_id))


@dataclass(frozen=True)
class BoughtProduct:
    product_id: int
    times: int
    quantity: Decimal


def _list_bought_products(contact_id: int) -> list[BoughtProduct]:
    """Every product in the contact's counted orders: in how many orders, how much in all."""
    rows = (
        counted_lines()
        .filter(order__contact_id=contact_id)
        .values("product_id")
        .annotate(times=Count("order_id", distinct=True), quantity=Sum("quantity"))
        .order_by("product_id")
    )
    return [BoughtProduct(r["product_id"], r["times"], r["quantity"]) for r in rows]


def _most_bought(bought: Sequence[BoughtProduct], limit: int) -> list[BoughtProduct]:
    # By number of orders, then quantity, then the older product.
    return sorted(bought, key=lambda b: (-b.times, -b.quantity, b.product_id))[:limit]


def list_favourite_products(*, contact_id: int, limit: int = FAVOURITES) -> list[FavouriteProduct]:
    """The contact's most bought products: by number of orders, then quantity."""
    top = _most_bought(_list_bought_products(contact_id), limit)
    products = Product.objects.in_bulk([b.product_id for b in top])
    return [FavouriteProduct(products[b.product_id], b.times, b.quantity) for b in top]


def _summary(
    rows: Sequence[tuple[str, Decimal, datetime.datetime]], favourites: list[FavouriteProduct]
) -> CustomerSummary:
    value, converted, missing = _lifetime_value(rows)
    base = base_currency()
    return CustomerSummary(
        currency=base,
        lifetime_value=value,
        orders=len(rows),
        average_order=round_money(value / converted, base) if converted else None,
        # Rows are sorted by ordered_at.
        first_purchase_at=rows[0][2] if rows else None,
        last_purchase_at=rows[-1][2] if rows else None,
        favourites=favourites,
        missing_rates=missing,
    )


def get_customer_summary(*, contact: Contact) -> CustomerSummary:
    """Lifetime value, order count, average, first and last purchase and favourite products."""
    return _summary(_counted_order_rows(contact.pk), list_favourite_products(contact_id=contact.pk))


def list_purchase_cycles(*, contact: Contact) -> list[PurchaseCycle]:
    """The contact's repeat purchases, soonest expected first."""
    return list(
        PurchaseCycle.objects.filter(contact_id=contact.pk)
        .select_related("product")
        .order_by("next_expected_on", "product__name", "id")
    )


def is_due_soon(cycle: PurchaseCycle, *, today: datetime.date, days: int = DUE_SOON_DAYS) -> bool:
    """Expected within ``days``, or overdue by no more than one usual gap."""
    earliest = today - datetime.timedelta(days=cycle.typical_gap_days)
    return earliest <= cycle.next_expected_on <= today + datetime.timedelta(days=days)


def list_due_soon(
    *, viewer: User, days: int = DUE_SOON_DAYS, today: datetime.date | None = None
) -> QuerySet[PurchaseCycle]:
    """Cycles of visible, active contacts due within ``days`` or overdue by at most their gap.

    Ordered by expected date; an overdue cycle older than one gap is stale (they went elsewhere).
    """
    today = today or timezone.localdate()
    contacts = visible(Contact.objects.filter(archived_at__isnull=True), viewer)
    return (
        PurchaseCycle.objects.filter(
            contact__in=contacts.values("pk"),
            next_expected_on__lte=today + datetime.timedelta(days=days),
        )
        .alias(stale_after=AddDays("next_expected_on", "typical_gap_days"))
        .filter(stale_after__gte=today)
        .select_related("contact", "product")
        .order_by("next_expected_on", "contact_id", "product_id")
    )


def list_bought_product_ids(*, contact_id: int) -> list[int]:
    """Every product the contact has bought in a counted order."""
    return list(
        counted_lines()
        .filter(order__contact_id=contact_id)
        .values_list("product_id", flat=True)
        .distinct()
        .order_by("product_id")
    )


def _recommendation_scores(bought: Sequence[int], limit: int) -> list[tuple[int, int]]:
    """(product id, score) of the best active products to go with ``bought``, best first."""
    if not bought:
        return []
    rows = (
        ProductPair.objects.filter(product_id__in=bought, other__is_active=True)
        .exclude(other_id__in=bought)
        .values("other_id")
        .annotate(score=Sum("orders"))
        .order_by("-score", "other_id")[:limit]
    )
    return [(row["other_id"], row["score"]) for row in rows]


def list_recommendations(*, contact: Contact, limit: int = RECOMMENDATIONS) -> list[Recommendation]:
    """Active products most often bought with what the contact buys, minus what they bought.

    Score: the number of orders (anyone's) holding the candidate together with one of the
    contact's products, summed over their products.
    """
    scores = _recommendation_scores(list_bought_product_ids(contact_id=contact.pk), limit)
    products = Product.objects.in_bulk([product_id for product_id, _score in scores])
    return [Recommendation(products[product_id], score) for product_id, score in scores]


def get_loyalty_rule() -> LoyaltyRule | None:
    """The loyalty rule (one row, created by a migration)."""
    return LoyaltyRule.objects.order_by("id").first()


def meets_loyalty_rule(
    *, contact: Contact, rule: LoyaltyRule, now: datetime.datetime | None = None
) -> bool:
    """Enough orders within the window, or a lifetime value at or above the threshold."""
    if not rule.is_active:
        return False
    now = now or timezone.now()
    if rule.min_orders is not None:
        since = now - datetime.timedelta(days=rule.window_days)
        recent = counted_orders().filter(contact_id=contact.pk, ordered_at__gte=since).count()
        if recent >= rule.min_orders:
            return True
    if rule.min_lifetime_value is not None:
        value, _converted, _missing = get_lifetime_value(contact_id=contact.pk)
        return value >= rule.min_lifetime_value
    return False


def list_loyalty_candidate_ids(
    *, rule: LoyaltyRule, now: datetime.datetime | None = None
) -> list[int]:
    """Contacts not yet loyal who meet the rule: the bulk form of ``meets_loyalty_rule``."""
    if not rule.is_active:
        return []
    now = now or timezone.now()
    orders = counted_orders().filter(contact__isnull=False).exclude(contact__stage=Stage.LOYAL)
    ids: set[int] = set()
    if rule.min_orders is not None:
        since = now - datetime.timedelta(days=rule.window_days)
        ids.update(
            orders.filter(ordered_at__gte=since)
            .values("contact_id")
            .annotate(recent=Count("id"))
            .filter(recent__gte=rule.min_orders)
            .values_list("contact_id", flat=True)
        )
    if rule.min_lifetime_value is not None:
        base = base_currency()
        rates: dict[tuple[str, datetime.date], Decimal | None] = {}
        totals: dict[int, Decimal] = defaultdict(Decimal)
        rows = orders.values_list("contact_id", "currency", "total", "ordered_at").order_by()
        for contact_id, currency, amount, ordered_at in rows.iterator(chunk_size=20000):
            key = (currency.upper(), purchase_day(ordered_at))
            if key not in rates:
                try:
                    rates[key] = rate_on(*key)
                except MissingRateError:
                    rates[key] = None
            rate = rates[key]
            if rate is not None:
                # Rounded per order, exactly as ``convert`` does for the lifetime value.
                totals[contact_id] += round_money(amount * rate, base)
        ids.update(c for c, value in totals.items() if value >= rule.min_lifetime_value)
    return sorted(ids)


def loyalty_offer(contact: Contact) -> Decimal | None:
    """The discount (percent) to remind staff to offer, or None if not loyal or rule inactive."""
    if contact.stage != Stage.LOYAL:
        return None
    rule = get_loyalty_rule()
    if rule is None or not rule.is_active:
        return None
    return rule.discount_percent


def get_contact_insight(*, contact: Contact, today: datetime.date | None = None) -> ContactInsight:
    """Everything the customer card shows about purchases; ``contact`` is already visible.

    Five queries whatever the history: orders, bought products, pairs, their product rows
    and the cycles (plus the rule for a loyal contact).
    """
    today = today or timezone.localdate()
    cycles = list_purchase_cycles(contact=contact)
    bought = _list_bought_products(contact.pk)
    favourites = _most_bought(bought, FAVOURITES)
    scores = _recommendation_scores([b.product_id for b in bought], RECOMMENDATIONS)
    products = Product.objects.in_bulk(
        [b.product_id for b in favourites] + [product_id for product_id, _score in scores]
    )
    summary = _summary(
        _counted_order_rows(contact.pk),
        [FavouriteProduct(products[b.product_id], b.times, b.quantity) for b in favourites],
    )
    return ContactInsight(
        summary=summary,
        cycles=cycles,
        due_soon=[c for c in cycles if is_due_soon(c, today=today)],
        recommendations=[Recommendation(products[p], score) for p, score in scores],
        loyalty_discount=loyalty_offer(contact),
        is_loyal=contact.stage == Stage.LOYAL,
    )
