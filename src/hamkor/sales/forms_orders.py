"""Forms of the order pages: the order's fields and its repeated line rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamkor.accounts.models import User
from hamkor.contacts.forms.pickers import CompanyPickerField, ContactPickerField
from hamkor.contacts.selectors import list_companies, list_contacts
from hamkor.sales.models import OrderChannel, OrderLine, OrderStatus, PaymentType, Product
from hamkor.sales.selectors.orders import list_order_products, list_payment_types
from hamkor.sales.services.orders import LineInput, compute_line_total

NEW_ORDER_STATUSES = [
    (OrderStatus.CONFIRMED.value, OrderStatus.CONFIRMED.label),
    (OrderStatus.PAID.value, OrderStatus.PAID.label),
    (OrderStatus.DRAFT.value, OrderStatus.DRAFT.label),
]


class OrderForm(forms.Form):
    # Search-as-you-type among the contacts and companies the user may see.
    contact = ContactPickerField(label=gettext_lazy("Customer"), required=False)
    company = CompanyPickerField(
        label=gettext_lazy("Company"),
        required=False,
        help_text=gettext_lazy("Leave empty to use the customer's company."),
    )
    currency = forms.CharField(
        label=gettext_lazy("Currency"),
        max_length=3,
        widget=forms.TextInput(attrs={"list": "currencies", "autocomplete": "off", "size": 4}),
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=NEW_ORDER_STATUSES)
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=OrderChannel.choices)
    payment_type = forms.ModelChoiceField(
        label=gettext_lazy("Payment type"),
        queryset=PaymentType.objects.none(),
        required=False,
        empty_label=gettext_lazy("Not recorded"),
    )
    notes = forms.CharField(
        label=gettext_lazy("Purpose and notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, viewer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        payment = cast(forms.ModelChoiceField[PaymentType], self.fields["payment_type"])
        payment.queryset = list_payment_types()
        cast(ContactPickerField, self.fields["contact"]).queryset = list_contacts(viewer=viewer)
        cast(CompanyPickerField, self.fields["company"]).queryset = list_companies(viewer=viewer)

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        picked = "contact" in data and "company" in data
        if picked and data["contact"] is None and data["company"] is None:
            self.add_error("contact", _("Choose the customer (or a company) for the order."))
        return data


@dataclass
class LineRow:
    """One line as typed, kept as text so a failed save shows exactly what was entered."""

    product: str = ""
    description: str = ""
    quantity: str = "1"
    unit_price: str = ""
    discount: str = ""
    errors: list[str] = field(default_factory=list)
    line_total: Decimal | None = None

    @property
    def is_blank(self) -> bool:
        return not (self.product or self.description.strip() or self.unit_price.strip())


def _decimal(text: str) -> Decimal | None:
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def read_line_rows(data: QueryDict) -> list[LineRow]:
    """The line rows posted as parallel lists (line_product, line_quantity, …)."""
    columns = [
        data.getlist(name)
        for name in (
            "line_product",
            "line_description",
            "line_quantity",
            "line_price",
            "line_discount",
        )
    ]
    count = max((len(column) for column in columns), default=0)

    def cell(column: list[str], index: int) -> str:
        return column[index] if index < len(column) else ""

    products, descriptions, quantities, prices, discounts = columns
    return [
        LineRow(
            product=cell(products, i),
            description=cell(descriptions, i),
            quantity=cell(quantities, i),
            unit_price=cell(prices, i),
            discount=cell(discounts, i),
        )
        for i in range(count)
    ]


def products_by_id(rows: list[LineRow]) -> dict[str, Product]:
    ids = [row.product for row in rows if row.product.isdigit()]
    return {str(p.pk): p for p in list_order_products().filter(pk__in=ids)}


def _plain(value: Decimal) -> str:
    """A stored amount as one would type it: 3.000 -> "3", 105000.50 -> "105000.5"."""
    return format(value.normalize(), "f")


def rows_from_lines(lines: Iterable[OrderLine]) -> list[LineRow]:
    """A saved order's lines as editable rows, each with its saved total."""
    return [
        LineRow(
            product=str(line.product_id or ""),
            description=line.description,
            quantity=_plain(line.quantity),
            unit_price=_plain(line.unit_price),
            discount=_plain(line.discount_percent) if line.discount_percent else "",
            line_total=line.line_total,
        )
        for line in lines
    ]


def products_on_lines(lines: Iterable[OrderLine]) -> dict[str, Product]:
    """Products already on an order, by id, even if no longer sold: the lines may keep them."""
    return {str(line.product_id): line.product for line in lines if line.product is not None}


def line_inputs(
    rows: list[LineRow], *, kept: Mapping[str, Product] | None = None
) -> tuple[list[LineInput], bool]:
    """Service inputs for the non-blank rows; False when a row has a typing error.

    ``kept`` are products an existing order already has: a line may keep one that is no
    longer sold, but no new line may choose it.
    """
    products = {**(kept or {}), **products_by_id(rows)}
    inputs: list[LineInput] = []
    ok = True
    for row in rows:
        if row.is_blank:
            continue
        quantity = _decimal(row.quantity)
        price = _decimal(row.unit_price)
        discount = _decimal(row.discount) if row.discount.strip() else Decimal(0)
        if quantity is None:
            row.errors.append(_("Enter the quantity as a number."))
        if row.unit_price.strip() and price is None:
            row.errors.append(_("Enter the price as a number."))
        if discount is None:
            row.errors.append(_("Enter the discount as a number from 0 to 100."))
        if row.product and row.product not in products:
            row.errors.append(_("That product is no longer sold; choose another."))
        if row.errors or quantity is None or discount is None:
            ok = False
            continue
        inputs.append(
            LineInput(
                product=products.get(row.product),
                description=row.description,
                quantity=quantity,
                unit_price=price,
                discount_percent=discount,
            )
        )
    return inputs, ok


def fill_prices(rows: list[LineRow], currency: str) -> None:
    """Put each product's price in rows without one, when it is priced in this currency."""
    products = products_by_id(rows)
    for row in rows:
        product = products.get(row.product)
        if product and not row.unit_price.strip() and product.currency.upper() == currency:
            row.unit_price = str(product.price)


def preview_totals(rows: list[LineRow], currency: str) -> Decimal:
    """Line totals of the rows that parse, and their sum, for the live total."""
    products = products_by_id(rows)
    total = Decimal(0)
    for row in rows:
        quantity = _decimal(row.quantity)
        price = _decimal(row.unit_price)
        product = products.get(row.product)
        if price is None and product and product.currency.upper() == currency:
            price = product.price
        discount = _decimal(row.discount) if row.discount.strip() else Decimal(0)
        if quantity is None or price is None or discount is None or not 0 <= discount <= 100:
            continue
        row.line_total = compute_line_total(
            quantity=quantity, unit_price=price, discount_percent=discount, currency=currency
        )
        total += row.line_total
    return total
