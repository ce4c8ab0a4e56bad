"""Purchase insight on a small history whose numbers are worked out by hand below.

Dilnoza (contact ``d``), all times at noon in Tashkent, 2025:
    o1 Jan 1  cake + candles      120 000 UZS
    o2 Jan 3  candles              20 000 UZS   (and o2b the same day: candles, same day)
    o3 Jan 8  candles              20 000 UZS
    o4 Jan 11 cake                100 000 UZS
    o5 Jan 31 cake                100 000 UZS
    o6 Feb 10 cake                 10.00 USD, rate 12 800 (Feb 1) -> 128 000 UZS
    a draft (cake + bread) and a cancelled order (juice) that never count.
Another customer (``x``): Jan 5 cake + juice, Jan 6 cake + juice + bread,
Jan 7 candles + bread, Jan 9 candles + bread.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from hamkor.accounts.models import Role
from hamkor.contacts.models import Stage
from hamkor.core.audit import AuditEvent
from hamkor.core.models import ExchangeRate
from hamkor.sales.models import LoyaltyRule, Order, OrderStatus, ProductPair, PurchaseCycle
from hamkor.sales.selectors.insight import (
    get_contact_insight,
    get_customer_summary,
    list_due_soon,
    list_recommendations,
    loyalty_offer,
    meets_loyalty_rule,
)
from hamkor.sales.services.insight import (
    cycle_from_days,
    evaluate_loyalty,
    recompute_insight,
    recompute_product_pairs,
    recompute_purchase_cycles,
    refresh_order_insight,
)
from hamkor.sales.signals import order_changed
from tests.accounts.factories import TeamFactory, UserFactory
from tests.contacts.factories import ContactFactory
from tests.sales.factories import OrderFactory, ProductFactory

pytestmark = pytest.mark.django_db

TASHKENT = ZoneInfo("Asia/Tashkent")


def at(month: int, day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(2025, month, day, hour, tzinfo=TASHKENT)


def d(month: int, day: int) -> datetime.date:
    return datetime.date(2025, month, day)


@pytest.fixture
def shop():
    seller = UserFactory(role=Role.SALES, team=TeamFactory(name="Shop"))
    cake = ProductFactory(name="Napoleon cake", price=Decimal("100000.00"))
    candles = ProductFactory(name="Candles", price=Decimal("20000.00"))
    juice = ProductFactory(name="Juice", price=Decimal("15000.00"))
    bread = ProductFactory(name="Bread", price=Decimal("5000.00"))
    dilnoza = ContactFactory(owner=seller)
    x = ContactFactory(owner=seller)
    ExchangeRate.objects.create(date=d(2, 1), currency="USD", rate=Decimal("12800"))
    OrderFactory(contact=dilnoza, ordered_at=at(1, 1), lines=[(cake, 1), (candles, 1)])
    OrderFactory(contact=dilnoza, ordered_at=at(1, 3), lines=[(candles, 1)])
    OrderFactory(contact=dilnoza, ordered_at=at(1, 3, 18), lines=[(candles, 1)])
    OrderFactory(contact=dilnoza, ordered_at=at(1, 8), lines=[(candles, 1)])
    OrderFactory(contact=dilnoza, ordered_at=at(1, 11), lines=[(cake, 1)])
    OrderFactory(contact=dilnoza, ordered_at=at(1, 31), lines=[(cake, 1)])
    usd = OrderFactory(contact=dilnoza, currency="USD", ordered_at=at(2, 10), lines=[(cake, 1)])
    usd.total = Decimal("10.00")
    usd.save(update_fields=["total"])
    OrderFactory(
        contact=dilnoza,
        status=OrderStatus.DRAFT,
        ordered_at=at(2, 12),
        lines=[(cake, 1), (bread, 1)],
    )
    OrderFactory(
        contact=dilnoza, status=OrderStatus.CANCELLED, ordered_at=at(2, 13), lines=[(juice, 1)]
    )
    OrderFactory(contact=x, ordered_at=at(1, 5), lines=[(cake, 1), (juice, 1)])
    OrderFactory(contact=x, ordered_at=at(1, 6), lines=[(cake, 1), (juice, 1), (bread, 2)])
    OrderFactory(contact=x, ordered_at=at(1, 7), lines=[(candles, 1), (bread, 1)])
    OrderFactory(contact=x, ordered_at=at(1, 9), lines=[(candles, 1), (bread, 1)])
    recompute_purchase_cycles()
    recompute_product_pairs()
    return {
        "seller": seller,
        "d": dilnoza,
        "x": x,
        "cake": cake,
        "candles": candles,
        "juice": juice,
        "bread": bread,
    }


def cycles_of(contact) -> dict[str, tuple[int, int, datetime.date, datetime.date]]:
    return {
        c.product.name: (c.purchases, c.typical_gap_days, c.last_purchased_on, c.next_expected_on)
        for c in PurchaseCycle.objects.filter(contact=contact).select_related("product")
    }


def snapshot() -> tuple[set, set]:
    cycles = set(
        PurchaseCycle.objects.values_list(
            "contact_id", "product_id", "purchases", "typical_gap_days", "next_expected_on"
        )
    )
    pairs = set(ProductPair.objects.values_list("product_id", "other_id", "orders"))
    return cycles, pairs


# --- next purchase ------------------------------------------------------------------------


def test_cycle_from_days_rounds_a_half_day_median_up():
    # Gaps 2 and 5: median 3.5 -> 4 days.
    cycle = cycle_from_days([d(1, 1), d(1, 3), d(1, 8)])

    assert cycle is not None
    assert (cycle.typical_gap_days, cycle.next_expected_on) == (4, d(1, 12))


def test_cycle_from_days_needs_three_days():
    assert cycle_from_days([d(1, 1), d(1, 3)]) is None


def test_recompute_purchase_cycles_uses_median_gap_of_distinct_days(shop):
    # Cake: Jan 1, 11, 31, Feb 10 -> gaps 10, 20, 10 -> median 10 -> Feb 20.
    # Candles: Jan 1, 3 (twice), 8 -> distinct days 3, gaps 2, 5 -> 3.5 -> 4 -> Jan 12.
    # The draft and cancelled orders add nothing.
    assert cycles_of(shop["d"]) == {
        "Napoleon cake": (4, 10, d(2, 10), d(2, 20)),
        "Candles": (3, 4, d(1, 8), d(1, 12)),
    }
    # x: cake and candles on two days only; bread Jan 6, 7, 9 -> gaps 1, 2 -> 1.5 -> 2 -> Jan 11.
    assert cycles_of(shop["x"]) == {"Bread": (3, 2, d(1, 9), d(1, 11))}


def test_list_due_soon_includes_upcoming_and_recently_overdue(shop):
    admin = UserFactory(role=Role.ADMIN)

    feb = list_due_soon(viewer=admin, days=7, today=d(2, 15))
    jan = list_due_soon(viewer=admin, days=7, today=d(1, 14))

    # Feb 15: cake due Feb 20; candles (Jan 12 + 4 = Jan 16) and bread are stale.
    assert [(c.contact, c.product) for c in feb] == [(shop["d"], shop["cake"])]
    # Jan 14: candles 2 days overdue (gap 4) stays; bread overdue by 3 > its gap 2 drops out.
    assert [(c.contact, c.product) for c in jan] == [(shop["d"], shop["candles"])]


def test_list_due_soon_orders_by_date_and_respects_the_window(shop):
    admin = UserFactory(role=Role.ADMIN)

    rows = list_due_soon(viewer=admin, days=40, today=d(1, 11))
    none = list_due_soon(viewer=admin, days=0, today=d(1, 13))

    assert [c.next_expected_on for c in rows] == [d(1, 11), d(1, 12), d(2, 20)]
    # Jan 13: bread is overdue by exactly its gap (still in), candles by one day.
    assert [c.product for c in none] == [shop["bread"], shop["candles"]]


def test_list_due_soon_hides_other_teams_contacts(shop):
    rival = UserFactory(role=Role.SALES, team=TeamFactory(name="Other"))

    assert list(list_due_soon(viewer=rival, days=30, today=d(2, 15))) == []
    assert len(list_due_soon(viewer=shop["seller"], days=30, today=d(2, 15))) == 1


# --- recommendations -----------------------------------------------------------------------


def test_recompute_product_pairs_counts_orders_holding_both(shop):
    cake, candles, juice, bread = shop["cake"], shop["candles"], shop["juice"], shop["bread"]
    pairs = {(p.product_id, p.other_id): p.orders for p in ProductPair.objects.all()}

    # Counted orders with 2+ products: d Jan 1 (cake, candles); x Jan 5 (cake, juice);
    # x Jan 6 (cake, juice, bread); x Jan 7 and Jan 9 (candles, bread). Stored both ways.
    expected = {
        (cake.pk, candles.pk): 1,
        (cake.pk, juice.pk): 2,
        (cake.pk, bread.pk): 1,
        (juice.pk, bread.pk): 1,
        (candles.pk, bread.pk): 2,
    }
    assert pairs == expected | {(b, a): n for (a, b), n in expected.items()}


def test_list_recommendations_scores_and_excludes_bought(shop):
    # d bought cake and candles (the draft's bread does not count as bought).
    # Bread: cake 1 + candles 2 = 3; juice: cake 2 + candles 0 = 2.
    recommendations = list_recommendations(contact=shop["d"])

    assert [(r.product, r.score) for r in recommendations] == [
        (shop["bread"], 3),
        (shop["juice"], 2),
    ]


def test_list_recommendations_skips_inactive_products(shop):
    shop["bread"].is_active = False
    shop["bread"].save()

    assert [r.product for r in list_recommendations(contact=shop["d"])] == [shop["juice"]]


def test_list_recommendations_empty_without_purchases(shop):
    assert list_recommendations(contact=ContactFactory()) == []


# --- incremental = full ---------------------------------------------------------------------


def test_refresh_order_insight_matches_full_recompute(shop):
    order = OrderFactory(
        contact=shop["x"], ordered_at=at(1, 12), lines=[(shop["juice"], 1), (shop["bread"], 1)]
    )

    refresh_order_insight(order_id=order.pk)
    incremental = snapshot()
    refresh_order_insight(order_id=order.pk)
    twice = snapshot()
    recompute_purchase_cycles()
    recompute_product_pairs()

    assert incremental == twice == snapshot()
    assert ProductPair.objects.get(product=shop["juice"], other=shop["bread"]).orders == 2
    assert cycles_of(shop["x"])["Bread"] == (4, 2, d(1, 12), d(1, 14))


def test_refresh_order_insight_forgets_a_cancelled_order(shop):
    order = Order.objects.get(contact=shop["d"], ordered_at=at(1, 1))
    order.status = OrderStatus.CANCELLED
    order.save()

    refresh_order_insight(order_id=order.pk)
    incremental = snapshot()
    recompute_purchase_cycles()
    recompute_product_pairs()

    assert incremental == snapshot()
    assert not ProductPair.objects.filter(product=shop["cake"], other=shop["candles"]).exists()


def test_order_changed_signal_refreshes_insight(shop):
    order = OrderFactory(
        contact=shop["x"], ordered_at=at(1, 12), lines=[(shop["juice"], 1), (shop["bread"], 1)]
    )

    # Tasks run at once under test settings (Huey immediate mode).
    order_changed.send(sender=Order, order_id=order.pk)

    assert ProductPair.objects.get(product=shop["juice"], other=shop["bread"]).orders == 2


def test_refresh_order_insight_of_a_missing_order_is_a_no_op(db):
    assert refresh_order_insight(order_id=999_999) is False


# --- summary ----------------------------------------------------------------------------------


def test_get_customer_summary_converts_each_order_at_its_days_rate(shop):
    summary = get_customer_summary(contact=shop["d"])

    # 120 000 + 20 000 * 3 + 100 000 * 2 + 10.00 USD * 12 800 = 508 000 over 7 orders.
    assert summary.currency == "UZS"
    assert summary.lifetime_value == Decimal("508000.00")
    assert summary.orders == 7
    assert summary.average_order == Decimal("72571.43")
    assert summary.first_purchase_at == at(1, 1)
    assert summary.last_purchase_at == at(2, 10)
    assert summary.missing_rates == []
    # Cake in 4 orders (Jan 1, 11, 31, Feb 10), candles in 4 (Jan 1, 3, 3, 8): a tie on
    # orders and on quantity (4 each), so the older product id (cake) comes first.
    assert [(f.product, f.times) for f in summary.favourites] == [
        (shop["cake"], 4),
        (shop["candles"], 4),
    ]


def test_get_customer_summary_reports_a_missing_rate(shop):
    OrderFactory(contact=shop["d"], currency="KGS", ordered_at=at(2, 11), lines=[(shop["cake"], 1)])

    summary = get_customer_summary(contact=shop["d"])

    assert summary.lifetime_value == Decimal("508000.00")
    assert summary.orders == 8
    assert [(m.currency, m.on) for m in summary.missing_rates] == [("KGS", d(2, 11))]


def test_get_customer_summary_of_a_new_customer(db):
    summary = get_customer_summary(contact=ContactFactory())

    assert (summary.lifetime_value, summary.orders, summary.average_order) == (Decimal(0), 0, None)
    assert summary.favourites == []


# --- loyalty ----------------------------------------------------------------------------------


def set_rule(**values) -> LoyaltyRule:
    rule = LoyaltyRule.objects.order_by("id").first()
    for name, value in values.items():
        setattr(rule, name, value)
    rule.save()
    return rule


def test_meets_loyalty_rule_counts_orders_in_the_window(shop):
    rule = set_rule(min_orders=5, window_days=90, min_lifetime_value=None, is_active=True)

    # 7 counted orders between Jan 1 and Feb 10; 90 days before Jun 1 is Mar 3.
    assert meets_loyalty_rule(contact=shop["d"], rule=rule, now=at(2, 15)) is True
    assert meets_loyalty_rule(contact=shop["d"], rule=rule, now=at(6, 1)) is False


def test_evaluate_loyalty_marks_loyal_by_lifetime_value_with_audit(shop):
    set_rule(min_orders=None, min_lifetime_value=Decimal("500000"), discount_percent=10)

    loyal = evaluate_loyalty(contact=shop["d"])

    shop["d"].refresh_from_db()
    assert loyal is True
    assert shop["d"].stage == Stage.LOYAL
    assert AuditEvent.objects.filter(verb="contact.updated", target_id=shop["d"].pk).exists()
    assert loyalty_offer(shop["d"]) == Decimal("10.00")


def test_evaluate_loyalty_leaves_others_alone(shop):
    set_rule(min_orders=None, min_lifetime_value=Decimal("508000.01"))

    loyal = evaluate_loyalty(contact=shop["d"])

    shop["d"].refresh_from_db()
    assert loyal is False
    assert shop["d"].stage != Stage.LOYAL
    assert loyalty_offer(shop["d"]) is None


def test_evaluate_loyalty_never_downgrades(shop):
    shop["d"].stage = Stage.LOYAL
    shop["d"].save()
    set_rule(min_orders=None, min_lifetime_value=Decimal("99999999"))

    evaluate_loyalty(contact=shop["d"])

    shop["d"].refresh_from_db()
    assert shop["d"].stage == Stage.LOYAL


def test_loyalty_offer_none_when_rule_inactive(shop):
    shop["d"].stage = Stage.LOYAL
    shop["d"].save()
    set_rule(is_active=False)

    assert loyalty_offer(shop["d"]) is None


def test_recompute_insight_marks_loyal_contacts_in_bulk(shop):
    set_rule(min_orders=None, min_lifetime_value=Decimal("300000"))

    result = recompute_insight()

    shop["d"].refresh_from_db()
    shop["x"].refresh_from_db()
    # x spent 100 000 + 15 000 + 100 000 + 15 000 + 10 000 + 25 000 + 25 000 = 290 000.
    assert result.loyal == 1
    assert (shop["d"].stage, shop["x"].stage) == (Stage.LOYAL, Stage.LEAD)


def test_get_contact_insight_gathers_the_card(shop):
    insight = get_contact_insight(contact=shop["d"], today=d(2, 15))

    assert [c.product for c in insight.due_soon] == [shop["cake"]]
    assert len(insight.cycles) == 2
    assert insight.is_loyal is False
    assert insight.loyalty_discount is None


def test_insight_command_prints_timings(shop, capsys):
    call_command("insight", "recompute")

    out = capsys.readouterr().out
    assert "purchase cycles: 3 in" in out
    assert "product pairs: 10 in" in out
