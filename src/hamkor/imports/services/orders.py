"""Orders import: rows are order lines, grouped by the order number column.

Each order is created with ``sales.services.orders.create_order`` (totals, line checks,
audit and notifications stay in one place); the order number becomes the order's
idempotency key (``import:<number>``), so importing the same file again skips the orders
already there instead of doubling them. Orders are created one by one: shop files hold
thousands of orders, not millions, and the service is what keeps them right.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.contacts.models import Contact, ContactEmail, ContactPhone
from hamkor.imports.services import values as cells
from hamkor.imports.services.engine import Context, validation_messages
from hamkor.sales.models import Order, Product
from hamkor.sales.services.orders import LineInput, OrderDetails, create_order

KEY_PREFIX = "import:"


@dataclass
class LineRow:
    number: str
    phone: str
    email: str
    sku: str
    quantity: Decimal
    unit_price: Decimal | None
    currency: str
    ordered_at: datetime.datetime | None


@dataclass
class PendingOrder:
    first_row: int
    rows: list[int] = field(default_factory=list)
    contact_id: int | None = None
    currency: str = ""
    ordered_at: datetime.datetime | None = None
    lines: list[tuple[int, int, Decimal, Decimal | None]] = field(default_factory=list)
    problem: str = ""


def _aware(value: datetime.datetime | datetime.date) -> datetime.datetime:
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time(12, 0))
    return timezone.make_aware(value) if timezone.is_naive(value) else value


class OrderWriter:
    dry_run_writes = True
    parse_elsewhere = False

    def __init__(self) -> None:
        self.orders: dict[str, PendingOrder] = {}
        self.products: dict[str, int] = {}

    def parse(self, row: int, values: dict[str, list[str]], ctx: Context) -> LineRow | None:
        ok = True

        def first(key: str) -> str:
            return values.get(key, [""])[0].strip()

        number = first("order_number")
        if not number:
            ctx.error(row, "order_number", _("Enter the order number."))
            ok = False
        elif len(number) > 100:
            ctx.error(row, "order_number", _("The order number is too long."))
            ok = False
        phone = email = ""
        if first("contact_phone"):
            try:
                phone = cells.phone(first("contact_phone"))
            except cells.CellError as error:
                ctx.error(row, "contact_phone", str(error))
                ok = False
        if first("contact_email"):
            try:
                email = cells.email(first("contact_email"))
            except cells.CellError as error:
                ctx.error(row, "contact_email", str(error))
                ok = False
        if ok and not (phone or email):
            ctx.error(row, "contact_phone", _("Give the customer's phone or email."))
            ok = False
        sku = first("sku")
        if not sku:
            ctx.error(row, "sku", _("Enter the product's SKU."))
            ok = False
        quantity = Decimal(0)
        try:
            quantity = cells.number(first("quantity") or "1")
        except cells.CellError as error:
            ctx.error(row, "quantity", str(error))
            ok = False
        else:
            if quantity <= 0:
                ctx.error(row, "quantity", _("The quantity must be more than zero."))
                ok = False
        unit_price = None
        if first("unit_price"):
            try:
                unit_price = cells.number(first("unit_price"))
            except cells.CellError as error:
                ctx.error(row, "unit_price", str(error))
                ok = False
        ordered_at = None
        if first("date"):
            try:
                ordered_at = _aware(cells.moment(first("date")))
            except cells.CellError as error:
                ctx.error(row, "date", str(error))
                ok = False
        if not ok:
            return None
        return LineRow(
            number=number,
            phone=phone,
            email=email,
            sku=sku,
            quantity=quantity,
            unit_price=unit_price,
            currency=first("currency").upper(),
            ordered_at=ordered_at,
        )

    def flush(self, records: list[tuple[int, LineRow]], ctx: Context) -> None:
        phones = {r.phone for _row, r in records if r.phone}
        emails = {r.email for _row, r in records if r.email}
        by_phone = dict(
            ContactPhone.objects.filter(number__in=phones, contact__archived_at__isnull=True)
            .order_by("-contact_id")
            .values_list("number", "contact_id")
        )
        by_email = dict(
            ContactEmail.objects.filter(email__in=emails, contact__archived_at__isnull=True)
            .order_by("-contact_id")
            .values_list("email", "contact_id")
        )
        skus = {r.sku.lower() for _row, r in records} - set(self.products)
        for pk, sku in (
            Product.objects.annotate(lowered=Lower("sku"))
            .filter(lowered__in=skus)
            .values_list("pk", "lowered")
        ):
            self.products[sku] = pk
        for row, r in records:
            contact_id = by_phone.get(r.phone) or by_email.get(r.email)
            if contact_id is None:
                ctx.error(
                    row,
                    "contact_phone" if r.phone else "contact_email",
                    _("No contact has the phone or email “%(value)s”.")
                    % {"value": r.phone or r.email},
                )
                ctx.counts.errors += 1
                continue
            product_id = self.products.get(r.sku.lower())
            if product_id is None:
                ctx.error(row, "sku", _("No product has the SKU “%(sku)s”.") % {"sku": r.sku})
                ctx.counts.errors += 1
                continue
            order = self.orders.setdefault(r.number, PendingOrder(first_row=row))
            order.rows.append(row)
            if order.contact_id is None:
                order.contact_id = contact_id
                order.currency = r.currency
                order.ordered_at = r.ordered_at
            elif order.contact_id != contact_id:
                order.problem = _("The lines of order %(number)s name different customers.") % {
                    "number": r.number
                }
            order.lines.append((row, product_id, r.quantity, r.unit_price))

    def finish(self, ctx: Context) -> None:
        keys = {KEY_PREFIX + number: number for number in self.orders}
        done: set[str | None] = set()
        key_list = list(keys)
        for start in range(0, len(key_list), 5000):
            done.update(
                Order.objects.filter(idempotency_key__in=key_list[start : start + 5000])
                .exclude(idempotency_key=None)
                .values_list("idempotency_key", flat=True)
                .iterator()
            )
        contacts = Contact.objects.in_bulk(
            {o.contact_id for o in self.orders.values() if o.contact_id}
        )
        products = Product.objects.in_bulk(set(self.products.values()))
        for number, order in self.orders.items():
            key = KEY_PREFIX + number
            if order.problem:
                ctx.error(order.first_row, "order_number", order.problem)
                ctx.counts.errors += len(order.rows)
                continue
            if key in done:
                # Imported before (a re-run of the same file): never twice.
                ctx.counts.skipped += 1
                ctx.counts.duplicates += 1
                continue
            assert order.contact_id is not None  # noqa: S101 - set with the first line
            lines = [
                LineInput(quantity=qty, product=products[product_id], unit_price=price)
                for _row, product_id, qty, price in order.lines
            ]
            try:
                with transaction.atomic():
                    create_order(
                        actor=ctx.actor,
                        lines=lines,
                        contact=contacts[order.contact_id],
                        details=OrderDetails(
                            currency=order.currency or None, ordered_at=order.ordered_at
                        ),
                        idempotency_key=key,
                    )
            except ValidationError as error:
                ctx.error(order.first_row, "", validation_messages(error))
                ctx.counts.errors += len(order.rows)
                continue
            ctx.counts.new += 1
