from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hamkor.core.models import AuditEvent
from hamkor.core.timeline import build_timeline
from hamkor.sales.models import OrderStatus
from hamkor.sales.services.orders import (
    LineInput,
    OrderDetails,
    cancel_order,
    compute_line_total,
    create_order,
    set_order_status,
    update_order,
)
from hamkor.sales.signals import order_changed
from hamkor.sales.timeline import register as register_order_source
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory
from tests.sales.factories import OrderFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("quantity", "price", "discount", "currency", "expected"),
    [
        ("3", "105000", "0", "UZS", "315000.00"),
        ("0.333", "10.00", "0", "USD", "3.33"),
        ("1", "0.05", "50", "USD", "0.03"),  # 0.025 rounds half up
        ("1", "1000", "12.5", "KGS", "875.00"),
        ("3", "333", "10", "JPY", "899"),  # no minor unit: 899.1 -> 899
        ("2", "100", "100", "UZS", "0.00"),
    ],
)
def test_compute_line_total_rounds_per_currency(quantity, price, discount, currency, expected):
    total = compute_line_total(
        quantity=Decimal(quantity),
        unit_price=Decimal(price),
        discount_percent=Decimal(discount),
        currency=currency,
    )

    assert total == Decimal(expected)
    assert str(total) == expected


def test_create_order_prices_lines_from_products_and_sums_total():
    contact = ContactFactory(currency="UZS")
    cake = ProductFactory(price=Decimal("105000.00"), currency="UZS")

    order = create_order(
        actor=UserFactory(),
        contact=contact,
        lines=[
            LineInput(product=cake, quantity=Decimal("3")),
            LineInput(description="Candles", quantity=Decimal("2"), unit_price=Decimal("7500")),
            LineInput(product=cake, quantity=Decimal("1"), discount_percent=Decimal("10")),
        ],
    )

    assert [line.line_total for line in order.lines.all()] == [
        Decimal("315000.00"),
        Decimal("15000.00"),
        Decimal("94500.00"),
    ]
    order.refresh_from_db()
    assert order.total == Decimal("424500.00")
    assert order.currency == "UZS"
    assert isinstance(order.total, Decimal)


def test_create_order_takes_owner_and_team_from_contact():
    contact = ContactFactory()

    order = create_order(
        actor=UserFactory(),
        contact=contact,
        lines=[LineInput(product=ProductFactory(), quantity=Decimal(1))],
    )

    assert (order.owner, order.team) == (contact.owner, contact.team)


def test_create_order_refuses_product_priced_in_another_currency():
    usd = ProductFactory(price=Decimal("20.00"), currency="USD", name="Gift box")

    with pytest.raises(ValidationError) as error:
        create_order(
            actor=UserFactory(),
            contact=ContactFactory(),
            details=OrderDetails(currency="UZS"),
            lines=[LineInput(product=usd, quantity=Decimal(1))],
        )

    assert "Gift box is priced in USD but the order is in UZS" in str(error.value)


def test_create_order_accepts_given_price_for_product_in_another_currency():
    usd = ProductFactory(price=Decimal("20.00"), currency="USD")

    order = create_order(
        actor=UserFactory(),
        contact=ContactFactory(),
        details=OrderDetails(currency="UZS"),
        lines=[LineInput(product=usd, quantity=Decimal(2), unit_price=Decimal("250000"))],
    )

    assert order.total == Decimal("500000.00")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (LineInput(quantity=Decimal(1), unit_price=Decimal(1)), "Choose a product or describe"),
        (LineInput(description="x", quantity=Decimal(0), unit_price=Decimal(1)), "above zero"),
        (LineInput(description="x", quantity=Decimal(1)), "Enter a unit price"),
        (
            LineInput(
                description="x",
                quantity=Decimal(1),
                unit_price=Decimal(1),
                discount_percent=Decimal(101),
            ),
            "between 0 and 100",
        ),
    ],
)
def test_create_order_refuses_bad_lines(line, message):
    with pytest.raises(ValidationError) as error:
        create_order(actor=UserFactory(), contact=ContactFactory(), lines=[line])

    assert message in str(error.value)
    assert "Line 1" in str(error.value)


def test_create_order_needs_a_customer_and_lines():
    with pytest.raises(ValidationError):
        create_order(
            actor=UserFactory(), lines=[LineInput(product=ProductFactory(), quantity=Decimal(1))]
        )
    with pytest.raises(ValidationError):
        create_order(actor=UserFactory(), contact=ContactFactory(), lines=[])


def test_create_order_is_audited_and_signalled_after_commit(django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, order_id, **kwargs):
        received.append(order_id)

    order_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            order = create_order(
                actor=UserFactory(),
                contact=ContactFactory(),
                lines=[LineInput(product=ProductFactory(), quantity=Decimal(1))],
            )
    finally:
        order_changed.disconnect(receiver)

    assert received == [order.pk]
    assert AuditEvent.objects.filter(verb="order.created", target_id=str(order.pk)).exists()


def test_update_order_replaces_lines_and_total():
    order = OrderFactory(lines=[(ProductFactory(), 2)])

    update_order(
        order=order,
        actor=UserFactory(),
        lines=[LineInput(description="Delivery", quantity=Decimal(1), unit_price=Decimal("20000"))],
        notes="Deliver at 18:00",
    )

    order.refresh_from_db()
    assert [line.description for line in order.lines.all()] == ["Delivery"]
    assert order.total == Decimal("20000.00")
    assert order.notes == "Deliver at 18:00"


def test_update_order_keeps_lines_of_paid_order():
    order = OrderFactory(status=OrderStatus.PAID, lines=[(ProductFactory(), 1)])

    with pytest.raises(ValidationError):
        update_order(
            order=order,
            actor=UserFactory(),
            lines=[LineInput(description="x", quantity=Decimal(1), unit_price=Decimal(1))],
        )


@pytest.mark.parametrize(
    ("start", "target"),
    [("draft", "confirmed"), ("confirmed", "paid"), ("draft", "cancelled"), ("paid", "cancelled")],
)
def test_set_order_status_allows_forward_moves_and_cancelling(start, target):
    order = OrderFactory(status=start)

    set_order_status(order=order, status=target, actor=UserFactory())

    order.refresh_from_db()
    assert order.status == target


@pytest.mark.parametrize(
    ("start", "target"),
    [("draft", "paid"), ("paid", "confirmed"), ("confirmed", "draft"), ("cancelled", "paid")],
)
def test_set_order_status_refuses_other_moves(start, target):
    order = OrderFactory(status=start)

    with pytest.raises(ValidationError) as error:
        set_order_status(order=order, status=target, actor=UserFactory())

    assert "cannot become" in str(error.value)


def test_cancel_order_twice_is_harmless():
    order = OrderFactory()

    cancel_order(order=order, actor=None)
    cancel_order(order=order, actor=None)

    assert AuditEvent.objects.filter(verb="order.status_changed").count() == 1


@pytest.fixture
def order_source():
    # tests/core/test_timeline.py registers and then drops a fake "order" source.
    register_order_source()


def test_orders_appear_on_contact_timeline(order_source):
    order = OrderFactory(lines=[(ProductFactory(price=Decimal("105000")), 3)])

    entries = [
        e
        for e in build_timeline(viewer=UserFactory(), contact_ids=[order.contact_id])
        if e.kind == "order"
    ]

    assert len(entries) == 1
    assert entries[0].title.startswith(f"Order #{order.pk} — ")
    assert "315" in entries[0].title
    assert entries[0].outcome == "Confirmed"
    assert entries[0].url == f"/sales/orders/{order.pk}/"


def test_order_timeline_honours_channel_filter(order_source):
    order = OrderFactory()

    assert (
        build_timeline(viewer=UserFactory(), contact_ids=[order.contact_id], channel="phone") == []
    )
    assert (
        len(build_timeline(viewer=UserFactory(), contact_ids=[order.contact_id], channel="order"))
        == 1
    )
