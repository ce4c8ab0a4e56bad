"""Reads for purchase insight: customer summary, purchase cycles, recommendations, loyalty."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DateField, Func, Max, Min, QuerySet, Sum
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


def get_lifetime_value(*, contact_id: int) -> tuple[Decimal, int, list[MissingRate]]:
    """Base-currency total of counted orders, each at its day's rate; (value, converted, missing).

    An order whose currency has no rate is left out and reported, never guessed.
    """
    base = base_currency()
    total = Decimal(0)
    converted = 0
    missing: dict[tuple[str, datetime.date], MissingRate] = {}
    rows = (
        counted_orders()
        .filter(contact_id=contact_id)
        .values_list("currency", "total", "ordered_at")
    )
    for currency, amount, ordered_at in rows.order_by("ordered_at", "id"):
        on = purchase_day(ordered_at)
        try:
            total += convert(amount, currency, on=on)
        except MissingRateError as error:
            missing.setdefault((error.currency, on), MissingRate(error.currency, on))
            continue
        converted += 1
    return round_money(total, base), converted, list(missing.values())


def list_favourite_products(*, contact_id: int, limit: int = FAVOURITES) -> list[FavouriteProduct]:
    """The contact's most bought products: by number of orders, then quantity."""
    rows = list(
        counted_lines()
        .filter(order__contact_id=contact_id)
        .values("product_id")
        .annotate(times=Count("order_id", distinct=True), quantity=Sum("quantity"))
        .order_by("-times", "-quantity", "product_id")[:limit]
    )
    products = Product.objects.in_bulk([row["product_id"] for row in rows])
    return [
        FavouriteProduct(
            product=products[r["product_id"]], times=r["times"], quantity=r["quantity"]
        )
        for r in rows
    ]


def get_customer_summary(*, contact: Contact) -> CustomerSummary:
    """Lifetime value, order count, average, first and last purchase and favourite products."""
    value, converted, missing = get_lifetime_value(contact_id=contact.pk)
    stats = counted_orders().filter(contact_id=contact.pk)
    span = stats.aggregate(orders=Count("id"), first=Min("ordered_at"), last=Max("ordered_at"))
    base = base_currency()
    return CustomerSummary(
        currency=base,
        lifetime_value=value,
        orders=span["orders"],
        average_order=round_money(value / converted, base) if converted else None,
        first_purchase_at=span["first"],
        last_purchase_at=span["last"],
        favourites=list_favourite_products(contact_id=contact.pk),
        missing_rates=missing,
    )


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


def list_recommendations(*, contact: Contact, limit: int = RECOMMENDATIONS) -> list[Recommendation]:
    """Active products most often bought with what the contact buys, minus what they bought.

    Score: the number of orders (anyone's) holding the candidate together with one of the
    contact's products, summed over their products.
    """
    bought = list_bought_product_ids(contact_id=contact.pk)
    if not bought:
        return []
    rows = list(
        ProductPair.objects.filter(product_id__in=bought, other__is_active=True)
        .exclude(other_id__in=bought)
        .values("other_id")
        .annotate(score=Sum("orders"))
        .order_by("-score", "other_id")[:limit]
    )
    products = Product.objects.in_bulk([row["other_id"] for row in rows])
    return [Recommendation(product=products[r["other_id"]], score=r["score"]) for r in rows]


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
    """Everything the customer card shows about purchases; ``contact`` is already visible."""
    today = today or timezone.localdate()
    cycles = list_purchase_cycles(contact=contact)
    return ContactInsight(
        summary=get_customer_summary(contact=contact),
        cycles=cycles,
        due_soon=[c for c in cycles if is_due_soon(c, today=today)],
        recommendations=list_recommendations(contact=contact),
        loyalty_discount=loyalty_offer(contact),
        is_loyal=contact.stage == Stage.LOYAL,
    )
