"""REST API for orders, including web shops placing orders with an Idempotency-Key."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from hamkor.accounts.models import User
from hamkor.contacts.api import read_query, viewer_of
from hamkor.contacts.models import Company, Contact
from hamkor.contacts.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut
from hamkor.contacts.selectors import get_company, visible
from hamkor.core.paging import list_page
from hamkor.sales.models import Order, PaymentType
from hamkor.sales.schemas_orders import (
    OrderCreateIn,
    OrderFilterIn,
    OrderLineIn,
    OrderListOut,
    OrderOut,
    OrderUpdateIn,
)
from hamkor.sales.selectors.orders import (
    OrderFilters,
    get_order,
    get_payment_type,
    list_order_products,
    list_orders,
    with_lines,
)
from hamkor.sales.services.orders import (
    CustomerInput,
    IdempotencyConflict,
    LineInput,
    OrderDetails,
    cancel_order,
    create_once,
    create_order,
    fingerprint,
    place_customer_order,
    update_order,
)

router = Router(tags=["orders"])

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200


def _lines(items: Sequence[OrderLineIn]) -> list[LineInput]:
    """Line inputs with their products; unknown products are reported per line."""
    errors: dict[str, str] = {}
    lines: list[LineInput] = []
    # One query for all lines' products, not one per line.
    products = list_order_products().in_bulk(
        {item.product_id for item in items if item.product_id is not None}
    )
    for index, item in enumerate(items):
        product = None
        if item.product_id is not None:
            product = products.get(item.product_id)
            if product is None:
                errors[f"lines.{index}.product_id"] = _(
                    "There is no active product with id %(id)s."
                ) % {"id": item.product_id}
                continue
        lines.append(
            LineInput(
                product=product,
                description=item.description or "",
                quantity=item.quantity,
                unit_price=item.unit_price,
                discount_percent=item.discount_percent or Decimal(0),
            )
        )
    if errors:
        raise ValidationError(errors)
    return lines


def _payment_type(pk: int | None) -> PaymentType | None:
    if pk is None:
        return None
    try:
        return get_payment_type(pk=pk)
    except ObjectDoesNotExist:
        raise ValidationError(
            {"payment_type_id": _("There is no payment type with id %(id)s.") % {"id": pk}}
        ) from None


def _order_contact(viewer: User, pk: int) -> Contact:
    """The contact if the viewer may see it, with its company; raises Contact.DoesNotExist.

    Not ``get_contact``: an order needs none of the phones, emails, tags, dates and consents
    it prefetches (five queries, a third of a new order's time in a profile).
    """
    return visible(Contact.objects.select_related("company"), viewer).get(pk=pk)


def _customer(viewer: User, payload: OrderCreateIn) -> tuple[Contact | None, Company | None]:
    errors: dict[str, str] = {}
    contact = company = None
    if payload.contact_id is not None:
        try:
            contact = _order_contact(viewer, payload.contact_id)
        except ObjectDoesNotExist:
            errors["contact_id"] = _("There is no contact with id %(id)s that you can see.") % {
                "id": payload.contact_id
            }
    if payload.company_id is not None:
        try:
            company = get_company(viewer=viewer, pk=payload.company_id)
        except ObjectDoesNotExist:
            errors["company_id"] = _("There is no company with id %(id)s that you can see.") % {
                "id": payload.company_id
            }
    if payload.customer is not None and (contact or company):
        errors["customer"] = _("Give either customer or contact_id/company_id, not both.")
    elif payload.customer is None and not errors and contact is None and company is None:
        errors["contact_id"] = _("Give contact_id, company_id or customer.")
    if errors:
        raise ValidationError(errors)
    return contact, company


def _idempotency_key(request: HttpRequest) -> str:
    key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if len(key) > MAX_KEY_LENGTH:
        raise ValidationError(
            _("The Idempotency-Key header is at most %(count)s characters long.")
            % {"count": MAX_KEY_LENGTH}
        )
    return key


@router.get(
    "",
    response={200: OrderListOut, **READ_ERRORS},
    summary="List orders",
    description="Orders of customers you may see, newest first.",
)
def list_orders_view(request: HttpRequest, filters: Query[OrderFilterIn]) -> dict[str, Any]:
    read_query(request, filters)
    orders = list_orders(
        viewer=viewer_of(request),
        filters=OrderFilters(
            contact_id=filters.contact_id,
            company_id=filters.company_id,
            status=filters.status or "",
            channel=filters.channel or "",
            date_from=filters.date_from,
            date_to=filters.date_to,
        ),
    )
    return list_page(with_lines(orders), offset=filters.offset, limit=filters.limit)


@router.post(
    "",
    response={200: OrderOut, 201: OrderOut, **WRITE_ERRORS},
    summary="Create an order",
    description=(
        "Staff give contact_id and/or company_id. Web shops give `customer` (phone and/or "
        "email): the contact is matched or created and the order is marked as placed by the "
        "customer. Send an `Idempotency-Key` header to make retries safe: a retry with the "
        "same key and body returns the first order with 200; the same key with another body "
        "is refused with 409."
    ),
)
def create_order_view(request: HttpRequest, payload: OrderCreateIn) -> Status[Any]:
    viewer = viewer_of(request)
    key = _idempotency_key(request)
    contact, company = _customer(viewer, payload)
    lines = _lines(payload.lines)
    details = OrderDetails(
        currency=payload.currency,
        payment_type=_payment_type(payload.payment_type_id),
        channel=payload.channel,
        status=payload.status,
        notes=payload.notes or "",
        ordered_at=payload.ordered_at,
    )
    body_hash = fingerprint(payload.dict(exclude_unset=True))
    customer = payload.customer

    def create(idempotency_key: str | None) -> Order:
        if customer is not None:
            return place_customer_order(
                actor=viewer,
                customer=CustomerInput(
                    phone=customer.phone or "",
                    email=customer.email or "",
                    first_name=customer.first_name or "",
                    last_name=customer.last_name or "",
                    language=customer.language or "",
                ),
                lines=lines,
                details=details,
                idempotency_key=idempotency_key,
                body_hash=body_hash,
            )
        return create_order(
            actor=viewer,
            lines=lines,
            contact=contact,
            company=company,
            details=details,
            idempotency_key=idempotency_key,
            body_hash=body_hash,
        )

    try:
        order, created = create_once(key=key, body_hash=body_hash, create=create)
        return Status(201 if created else 200, get_order(viewer=viewer, pk=order.pk))
    except (IdempotencyConflict, Order.DoesNotExist) as error:
        detail = (
            str(error)
            if isinstance(error, IdempotencyConflict)
            else _("This Idempotency-Key was already used; send a new key for a new order.")
        )
        return Status(409, ErrorOut(detail=detail))


@router.get("/{order_id}", response={200: OrderOut, **READ_ERRORS})
def get_order_view(request: HttpRequest, order_id: int) -> Order:
    return get_order(viewer=viewer_of(request), pk=order_id)


@router.patch(
    "/{order_id}",
    response={200: OrderOut, **WRITE_ERRORS},
    summary="Change an order",
    description="Only the fields sent change; lines sent replace all lines.",
)
def update_order_view(request: HttpRequest, order_id: int, payload: OrderUpdateIn) -> Order:
    viewer = viewer_of(request)
    order = get_order(viewer=viewer, pk=order_id)
    sent = payload.dict(exclude_unset=True)
    update_order(
        order=order,
        actor=viewer,
        lines=_lines(payload.lines) if "lines" in sent else None,
        notes=payload.notes if "notes" in sent else None,
        payment_type=_payment_type(payload.payment_type_id),
        clear_payment_type="payment_type_id" in sent and payload.payment_type_id is None,
        channel=payload.channel,
        ordered_at=payload.ordered_at,
        status=payload.status,
    )
    return get_order(viewer=viewer, pk=order.pk)


@router.post(
    "/{order_id}/cancel",
    response={200: OrderOut, **WRITE_ERRORS},
    summary="Cancel an order",
    description="Any order can be cancelled; cancelling twice changes nothing.",
)
def cancel_order_view(request: HttpRequest, order_id: int) -> Order:
    viewer = viewer_of(request)
    cancel_order(order=get_order(viewer=viewer, pk=order_id), actor=viewer)
    return get_order(viewer=viewer, pk=order_id)
