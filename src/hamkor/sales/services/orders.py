"""Writing orders: create, edit lines, move through statuses, take web shop orders.

Money rules: every amount is a ``Decimal`` in the order's currency. A line's total is
``round_money(quantity × unit_price × (1 − discount/100), currency)`` and the order total is
the sum of the line totals. A line without an explicit unit price takes its product's
price only when the product is priced in the order's currency; prices are never converted
silently, the caller must then give the price.

After an order is created or changed, ``hamkor.sales.signals.order_changed`` is sent with
``order_id`` once the transaction commits (the insight engine listens to it).

The web shop's customer matching and Idempotency-Key handling live in ``webshop.py``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.numbers import get_currency_precision
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.contacts.models import Company, Contact
from hamkor.core.audit import record_event
from hamkor.core.currency import round_money
from hamkor.core.locking import lock_rows
from hamkor.core.money import is_currency
from hamkor.sales.models import (
    Order,
    OrderChannel,
    OrderLine,
    OrderOrigin,
    OrderStatus,
    PaymentType,
    Product,
)

# The web shop's part lives in webshop.py; its names stay importable from here.
from hamkor.sales.services.webshop import CustomerInput as CustomerInput
from hamkor.sales.services.webshop import IdempotencyConflict as IdempotencyConflict
from hamkor.sales.services.webshop import create_once as create_once
from hamkor.sales.services.webshop import fingerprint as fingerprint
from hamkor.sales.services.webshop import place_customer_order as place_customer_order
from hamkor.sales.signals import order_changed

HUNDRED = Decimal(100)
# Statuses an order may move to from each status; any open order may also be cancelled.
TRANSITIONS: dict[str, frozenset[str]] = {
    OrderStatus.DRAFT: frozenset({OrderStatus.CONFIRMED, OrderStatus.CANCELLED}),
    OrderStatus.CONFIRMED: frozenset({OrderStatus.PAID, OrderStatus.CANCELLED}),
    OrderStatus.PAID: frozenset({OrderStatus.CANCELLED}),
    OrderStatus.CANCELLED: frozenset(),
}
# Statuses a new order may start in.
INITIAL_STATUSES = frozenset({OrderStatus.DRAFT, OrderStatus.CONFIRMED, OrderStatus.PAID})
# Lines of paid or cancelled orders are history and stay as they are.
EDITABLE_STATUSES = frozenset({OrderStatus.DRAFT, OrderStatus.CONFIRMED})
# Foreign keys of a new order, all set from rows the caller has loaded.
RELATED_FIELDS = ("contact", "company", "payment_type", "created_by", "owner", "team")


@dataclass(frozen=True)
class LineInput:
    """One line as a form or the API gives it; ``unit_price`` None means "the product's"."""

    quantity: Decimal
    product: Product | None = None
    description: str = ""
    unit_price: Decimal | None = None
    discount_percent: Decimal = Decimal("0")


@dataclass
class OrderDetails:
    """Order fields besides the customer and lines; None means "the default"."""

    currency: str | None = None
    payment_type: PaymentType | None = None
    channel: str | None = None
    status: str | None = None
    notes: str = ""
    ordered_at: datetime.datetime | None = None


def compute_line_total(
    *, quantity: Decimal, unit_price: Decimal, discount_percent: Decimal, currency: str
) -> Decimal:
    """quantity × unit price less the discount, rounded half up to the currency's minor unit."""
    gross = quantity * unit_price * (HUNDRED - discount_percent) / HUNDRED
    return round_money(gross, currency)


def _check_currency(code: str) -> str:
    code = (code or "").strip().upper()
    if not is_currency(code):
        raise ValidationError(
            {
                "currency": _("“%(value)s” is not a currency code like UZS, KGS or USD.")
                % {"value": code}
            }
        )
    if get_currency_precision(code) > 2:
        raise ValidationError(
            {
                "currency": _("Orders in %(currency)s are not supported: it has 3 decimal places.")
                % {"currency": code}
            }
        )
    return code


def _line_error(position: int, message: str) -> ValidationError:
    # Translators: "Line 2: Enter a quantity above zero."
    return ValidationError(
        _("Line %(number)s: %(message)s") % {"number": position + 1, "message": message}
    )


def _build_lines(lines: Sequence[LineInput], currency: str) -> list[OrderLine]:
    """Validated, unsaved lines with their totals; all problems are reported together."""
    if not lines:
        raise ValidationError({"lines": _("Add at least one line.")})
    errors: list[ValidationError] = []
    built: list[OrderLine] = []
    for position, item in enumerate(lines):
        description = (item.description or "").strip()
        if item.product is None and not description:
            errors.append(_line_error(position, _("Choose a product or describe the item.")))
            continue
        if item.quantity is None or item.quantity <= 0:
            errors.append(_line_error(position, _("Enter a quantity above zero.")))
            continue
        if not Decimal(0) <= item.discount_percent <= HUNDRED:
            errors.append(_line_error(position, _("A discount is between 0 and 100 %.")))
            continue
        unit_price = item.unit_price
        if unit_price is None:
            if item.product is None:
                errors.append(_line_error(position, _("Enter a unit price.")))
                continue
            if item.product.currency.upper() != currency:
                errors.append(
                    _line_error(
                        position,
                        _(
                            "%(product)s is priced in %(product_currency)s but the order is in "
                            "%(currency)s; enter the unit price in %(currency)s."
                        )
                        % {
                            "product": item.product.name,
                            "product_currency": item.product.currency.upper(),
                            "currency": currency,
                        },
                    )
                )
                continue
            unit_price = item.product.price
        if unit_price < 0:
            errors.append(_line_error(position, _("A unit price cannot be negative.")))
            continue
        line = OrderLine(
            product=item.product,
            description=description,
            quantity=item.quantity,
            unit_price=unit_price,
            discount_percent=item.discount_percent,
            line_total=compute_line_total(
                quantity=item.quantity,
                unit_price=unit_price,
                discount_percent=item.discount_percent,
                currency=currency,
            ),
            position=position,
        )
        try:
            # The line's check constraints are the tests just above; validating them again
            # costs a savepoint and a query each, per line (most of a new order's queries).
            # The product is a row the caller loaded: checking it exists is one more query.
            line.full_clean(exclude=["order", "product"], validate_constraints=False)
        except ValidationError as error:
            errors.extend(_line_error(position, m) for m in error.messages)
            continue
        built.append(line)
    if errors:
        raise ValidationError({"lines": errors})
    return built


def _save_lines(order: Order, lines: list[OrderLine]) -> None:
    for line in lines:
        line.order = order
    OrderLine.objects.bulk_create(lines)
    order.total = sum((line.line_total for line in lines), Decimal("0"))


def _default_owner(
    contact: Contact | None, company: Company | None, actor: User | None
) -> tuple[int | None, int | None]:
    """Ids of the customer's owner and team; the person entering it if the customer has neither.

    Ids, not rows: a contact found by phone has neither loaded, and fetching them is a query.
    """
    for record in (contact, company):
        if record is not None and (record.owner_id or record.team_id):
            return record.owner_id, record.team_id
    if actor is not None and actor.pk:
        return actor.pk, actor.team_id
    return None, None


def _notify(order: Order) -> None:
    order_id = order.pk
    transaction.on_commit(lambda: order_changed.send(sender=Order, order_id=order_id))


def _summary(order: Order) -> dict[str, Any]:
    return {"total": str(order.total), "currency": order.currency, "status": order.status}


@transaction.atomic
def create_order(
    *,
    actor: User | None,
    lines: Sequence[LineInput],
    contact: Contact | None = None,
    company: Company | None = None,
    details: OrderDetails | None = None,
    origin: str = OrderOrigin.STAFF,
    idempotency_key: str | None = None,
    body_hash: str = "",
) -> Order:
    """Create an order with its lines; owner and team follow the customer.

    ``idempotency_key`` is unique among orders; ``body_hash`` (see ``fingerprint``) is kept
    in the audit event so a retry can be told from a different order with the same key.
    """
    details = details or OrderDetails()
    if contact is None and company is None:
        raise ValidationError(_("Choose a contact or a company for the order."))
    if company is None and contact is not None and contact.company_id:
        company = contact.company
    currency = _check_currency(
        details.currency
        or (contact.currency if contact is not None else "")
        or str(settings.HAMKOR_DEFAULT_CURRENCY)
    )
    status = details.status or OrderStatus.CONFIRMED
    if status not in INITIAL_STATUSES:
        raise ValidationError({"status": _("A new order is a draft, confirmed or paid.")})
    built = _build_lines(lines, currency)
    owner, team = _default_owner(contact, company, actor)
    order = Order(
        contact=contact,
        company=company,
        currency=currency,
        payment_type=details.payment_type,
        channel=details.channel or OrderChannel.STORE,
        status=status,
        origin=origin,
        notes=details.notes,
        ordered_at=details.ordered_at or timezone.now(),
        created_by=actor if actor is not None and actor.pk else None,
        owner_id=owner,
        team_id=team,
        idempotency_key=idempotency_key or None,
        total=sum((line.line_total for line in built), Decimal("0")),
    )
    # Both check constraints hold by construction: a customer was required above and the
    # total is a sum of non-negative line totals; skip their savepoints and queries. The
    # related rows were loaded by the caller (their foreign keys still guard them), the uuid
    # is new and the Idempotency-Key is left to its unique index (see ``create_once``), so
    # their existence and uniqueness checks, a query each, are skipped too.
    order.full_clean(
        exclude=[*RELATED_FIELDS, "idempotency_key"],
        validate_unique=False,
        validate_constraints=False,
    )
    order.save()
    _save_lines(order, built)
    data = _summary(order)
    if idempotency_key:
        data["fingerprint"] = body_hash
    record_event(actor=actor, verb="order.created", target=order, data=data)
    _notify(order)
    return order


@transaction.atomic
def update_order(
    *,
    order: Order,
    actor: User | None,
    lines: Sequence[LineInput] | None = None,
    notes: str | None = None,
    payment_type: PaymentType | None = None,
    clear_payment_type: bool = False,
    channel: str | None = None,
    ordered_at: datetime.datetime | None = None,
    status: str | None = None,
) -> Order:
    """Change the given fields; lines given replace all old lines and the total follows.

    A new ``status`` is applied last, so lines can be fixed and the order paid in one call.
    """
    order = lock_rows(Order, order.pk)[order.pk]
    before = _summary(order)
    changed: list[str] = []
    if lines is not None:
        if order.status not in EDITABLE_STATUSES:
            raise ValidationError(
                {
                    "lines": _("The lines of a %(status)s order cannot be changed.")
                    % {"status": order.get_status_display().lower()}
                }
            )
        built = _build_lines(lines, order.currency)
        order.lines.all().delete()
        _save_lines(order, built)
        changed.append("lines")
    if notes is not None and notes != order.notes:
        order.notes = notes
        changed.append("notes")
    if payment_type is not None or clear_payment_type:
        order.payment_type = payment_type
        changed.append("payment_type")
    if channel is not None and channel != order.channel:
        order.channel = channel
        changed.append("channel")
    if ordered_at is not None and ordered_at != order.ordered_at:
        order.ordered_at = ordered_at
        changed.append("ordered_at")
    if changed:
        order.full_clean(exclude=["idempotency_key"])
        order.save()
        record_event(
            actor=actor,
            verb="order.updated",
            target=order,
            data={"changed": changed, "before": before, "after": _summary(order)},
        )
        _notify(order)
    if status is not None:
        order = set_order_status(order=order, status=status, actor=actor)
    return order


def allowed_statuses(order: Order) -> list[str]:
    """Statuses the order can move to next, in the usual order of business."""
    return [s for s in OrderStatus.values if s in TRANSITIONS.get(order.status, frozenset())]


@transaction.atomic
def set_order_status(*, order: Order, status: str, actor: User | None) -> Order:
    """Move an order: draft → confirmed → paid, and anything not yet cancelled → cancelled."""
    order = lock_rows(Order, order.pk)[order.pk]
    if status == order.status:
        return order
    if status not in OrderStatus.values:
        raise ValidationError(
            {
                "status": _("Unknown status “%(value)s”. Use one of: %(choices)s.")
                % {"value": status, "choices": ", ".join(OrderStatus.values)}
            }
        )
    if status not in TRANSITIONS[order.status]:
        raise ValidationError(
            {
                "status": _("A %(current)s order cannot become %(new)s.")
                % {
                    "current": order.get_status_display().lower(),
                    "new": OrderStatus(status).label.lower(),
                }
            }
        )
    previous = order.status
    order.status = status
    order.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor,
        verb="order.status_changed",
        target=order,
        data={"from": previous, "to": status},
    )
    _notify(order)
    return order


def cancel_order(*, order: Order, actor: User | None) -> Order:
    """Cancel an order (a no-op if it already is)."""
    return set_order_status(order=order, status=OrderStatus.CANCELLED, actor=actor)
