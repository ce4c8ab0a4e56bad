"""Reading orders, scoped to the viewer like contacts (owner and team)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from hamkor.accounts.models import User
from hamkor.contacts.models import Contact
from hamkor.contacts.selectors import visible
from hamkor.core.models import AuditEvent
from hamkor.core.phones import normalize_phone
from hamkor.sales.models import Order, OrderLine, PaymentType, Product


@dataclass(frozen=True)
class OrderFilters:
    contact_id: int | None = None
    company_id: int | None = None
    status: str = ""
    channel: str = ""
    # Inclusive calendar days in the current time zone.
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def list_orders(*, viewer: User, filters: OrderFilters | None = None) -> QuerySet[Order]:
    """Orders the viewer may see, newest first."""
    filters = filters or OrderFilters()
    queryset = visible(Order.objects.all(), viewer)
    if filters.contact_id:
        queryset = queryset.filter(contact_id=filters.contact_id)
    if filters.company_id:
        queryset = queryset.filter(company_id=filters.company_id)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    if filters.date_from:
        queryset = queryset.filter(ordered_at__date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(ordered_at__date__lte=filters.date_to)
    return queryset.select_related("contact", "company", "payment_type", "owner").order_by(
        "-ordered_at", "-id"
    )


def with_lines(orders: QuerySet[Order]) -> QuerySet[Order]:
    """Prefetch each order's lines with their products, in line order."""
    lines = OrderLine.objects.select_related("product").order_by("position", "id")
    return orders.prefetch_related(Prefetch("lines", queryset=lines))


def get_order(*, viewer: User, pk: int) -> Order:
    """One order the viewer may see, with its lines; raises Order.DoesNotExist otherwise."""
    queryset = visible(Order.objects.all(), viewer).select_related(
        "contact", "company", "payment_type", "owner", "team", "created_by"
    )
    return with_lines(queryset).get(pk=pk)


def get_order_by_idempotency_key(*, key: str) -> Order | None:
    """The order first created with this Idempotency-Key, whoever may see it."""
    return Order.objects.filter(idempotency_key=key).first()


def get_idempotency_fingerprint(*, order: Order) -> str:
    """The request-body hash recorded when the order was created with an Idempotency-Key."""
    data = (
        AuditEvent.objects.filter(
            target_type=Order._meta.label_lower, target_id=str(order.pk), verb="order.created"
        )
        .order_by("id")
        .values_list("data", flat=True)
        .first()
    )
    return str((data or {}).get("fingerprint", ""))


def find_contact_for_customer(*, viewer: User, phone: str = "", email: str = "") -> Contact | None:
    """The viewer's oldest active contact with this phone (any format) or else this email."""
    contacts = visible(Contact.objects.filter(archived_at__isnull=True), viewer).order_by("id")
    if phone.strip():
        match = contacts.filter(phones__number=normalize_phone(phone)).first()
        if match is not None:
            return match
    if email.strip():
        return contacts.filter(emails__email=email.strip().lower()).first()
    return None


def list_order_products() -> QuerySet[Product]:
    """Active products for the order form's picker."""
    return Product.objects.filter(is_active=True).order_by("name", "id")


def get_order_product(*, pk: int) -> Product:
    """A product that may go on an order line (active ones only)."""
    return Product.objects.get(pk=pk, is_active=True)


def list_payment_types() -> QuerySet[PaymentType]:
    return PaymentType.objects.filter(is_active=True).order_by("position", "name")


def get_payment_type(*, pk: int) -> PaymentType:
    return PaymentType.objects.get(pk=pk, is_active=True)
