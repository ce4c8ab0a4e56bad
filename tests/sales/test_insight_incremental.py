"""Pair counts kept up to date order by order equal a full rebuild, and repeats change nothing.

Orders are created, edited, confirmed and cancelled through the order services; their
``order_changed`` hook (sent on commit, Huey runs tasks at once under test settings) applies
each order's difference to the pair counts.
"""

from decimal import Decimal

import pytest

from hamkor.sales.models import Order, PairedOrder, ProductPair, PurchaseCycle
from hamkor.sales.services.insight import (
    recompute_product_pairs,
    recompute_purchase_cycles,
    refresh_order_insight,
    refresh_order_pairs,
)
from hamkor.sales.services.orders import (
    LineInput,
    OrderDetails,
    cancel_order,
    create_order,
    set_order_status,
    update_order,
)
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory
from tests.sales.factories import OrderFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service call and then its on-commit hooks, as a real request would."""

    def run(call, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(**kwargs)

    return run


@pytest.fixture
def catalogue():
    return [ProductFactory(name=name) for name in ("Tea", "Sugar", "Lemon", "Cake", "Honey")]


def lines(*products):
    return [LineInput(product=p, quantity=Decimal(1)) for p in products]


def pair_counts() -> dict[tuple[int, int], int]:
    return {(p.product_id, p.other_id): p.orders for p in ProductPair.objects.all()}


def insight_state() -> tuple[dict[tuple[int, int], int], set[tuple]]:
    cycles = set(
        PurchaseCycle.objects.values_list(
            "contact_id", "product_id", "purchases", "typical_gap_days", "next_expected_on"
        )
    )
    return pair_counts(), cycles


def rebuilt_state() -> tuple[dict[tuple[int, int], int], set[tuple]]:
    recompute_product_pairs()
    recompute_purchase_cycles()
    return insight_state()


def test_refresh_after_create_edit_and_cancel_equals_a_full_rebuild(committed, catalogue):
    tea, sugar, lemon, cake, honey = catalogue
    actor = UserFactory()
    aziz, malika = ContactFactory(), ContactFactory()
    OrderFactory(contact=aziz, lines=[(tea, 1), (sugar, 1), (cake, 1)])
    recompute_product_pairs()
    recompute_purchase_cycles()

    first = committed(create_order, actor=actor, contact=aziz, lines=lines(tea, sugar, lemon))
    second = committed(create_order, actor=actor, contact=malika, lines=lines(tea, lemon))
    draft = committed(
        create_order,
        actor=actor,
        contact=malika,
        lines=lines(cake, honey),
        details=OrderDetails(status="draft"),
    )
    committed(update_order, order=first, actor=actor, lines=lines(tea, honey, lemon, lemon))
    committed(set_order_status, order=draft, status="confirmed", actor=actor)
    committed(update_order, order=draft, actor=actor, lines=lines(cake, honey, sugar))
    committed(cancel_order, order=second, actor=actor)
    committed(create_order, actor=actor, contact=malika, lines=lines(honey))
    incremental = insight_state()

    assert incremental == rebuilt_state()
    # Tea+lemon: only the edited first order is left (the second was cancelled).
    assert incremental[0][(tea.pk, lemon.pk)] == 1
    assert incremental[0][(cake.pk, honey.pk)] == 1
    assert (tea.pk, sugar.pk) in incremental[0]


def test_refresh_order_insight_twice_changes_nothing(committed, catalogue):
    tea, sugar, lemon, *_rest = catalogue
    order = committed(
        create_order, actor=UserFactory(), contact=ContactFactory(), lines=lines(tea, sugar, lemon)
    )
    once = insight_state()

    changed = refresh_order_pairs(order_id=order.pk)
    refresh_order_insight(order_id=order.pk)

    assert changed is False
    assert insight_state() == once
    assert once[0][(sugar.pk, lemon.pk)] == 1


def test_refresh_takes_back_the_pairs_of_a_deleted_order(catalogue):
    tea, sugar, *_rest = catalogue
    order = OrderFactory(lines=[(tea, 1), (sugar, 1)])
    OrderFactory(lines=[(tea, 1), (sugar, 2)])
    refresh_order_insight(order_id=order.pk)
    order_id = order.pk
    order.lines.all().delete()
    Order.objects.filter(pk=order_id).delete()

    gone = refresh_order_insight(order_id=order_id)

    assert gone is False
    # The other order was never refreshed, so the pair is back to zero and removed.
    assert pair_counts() == {}
    assert not PairedOrder.objects.filter(order_id=order_id).exists()


def test_refresh_ignores_orders_that_were_never_counted(catalogue):
    tea, sugar, *_rest = catalogue
    cancelled = OrderFactory(status="cancelled", lines=[(tea, 1), (sugar, 1)])

    changed = refresh_order_pairs(order_id=cancelled.pk)

    assert changed is False
    assert pair_counts() == {}


def test_full_rebuild_then_refresh_of_an_old_order_takes_it_back(catalogue):
    tea, sugar, lemon, *_rest = catalogue
    old = OrderFactory(lines=[(tea, 1), (sugar, 1), (lemon, 1)])
    OrderFactory(lines=[(tea, 1), (sugar, 1)])
    recompute_product_pairs()
    old.status = "cancelled"
    old.save(update_fields=["status"])

    refresh_order_pairs(order_id=old.pk)

    assert pair_counts() == {(tea.pk, sugar.pk): 1, (sugar.pk, tea.pk): 1}
