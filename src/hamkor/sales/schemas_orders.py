"""Request and response shapes of the orders API. Money goes out as decimal strings."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, model_validator

from hamkor.activities.schemas import Moment
from hamkor.contacts.schemas import (
    BodyIn,
    ContactRefOut,
    Id,
    LanguageValue,
    PageIn,
    RefOut,
    Text,
    UserRefOut,
    optional,
)
from hamkor.sales.models import Order, OrderLine

# Literal copies of the model choices, so OpenAPI lists them; a test keeps them in step.
OrderStatusValue = Literal["draft", "confirmed", "paid", "cancelled"]
NewOrderStatusValue = Literal["draft", "confirmed", "paid"]
OrderChannelValue = Literal["store", "phone", "web_shop", "telegram", "other"]
OrderOriginValue = Literal["staff", "customer"]

Quantity = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=3)]
Price = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]


def _currency_code(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValueError(_("Give a three-letter currency code like UZS, KGS or USD."))
    return code


CurrencyCode = Annotated[str, AfterValidator(_currency_code)]


class OrderLineIn(BodyIn):
    product_id: Id | None = optional(description="A product; or leave out and give description.")
    description: Text = optional(max_length=200, description="What was sold, without a product.")
    quantity: Quantity = Field(description="Above zero, up to 3 decimals (0.5 kg).")
    unit_price: Price | None = optional(
        description="Price of one unit in the order's currency; the product's price by "
        "default, which needs the product to be priced in that currency."
    )
    discount_percent: Percent = optional(description="0 to 100; 0 by default.")


class CustomerIn(BodyIn):
    phone: Text = optional(max_length=40, description="Any local or international format.")
    email: Text = optional(max_length=254)
    first_name: Text = optional(max_length=100)
    last_name: Text = optional(max_length=100)
    language: LanguageValue = optional()

    @model_validator(mode="after")
    def _reachable(self) -> CustomerIn:
        if not (self.phone or "").strip() and not (self.email or "").strip():
            raise ValueError(_("Give the customer's phone or email."))
        return self


class OrderCreateIn(BodyIn):
    contact_id: Id | None = optional(description="The contact; or company_id, or customer.")
    company_id: Id | None = optional(description="The company; defaults to the contact's.")
    customer: CustomerIn | None = optional(
        description="For web shops: the customer by phone and/or email; an existing contact "
        "is matched (phone in any format, email in any case) or a new one is created."
    )
    currency: CurrencyCode = optional(description="The contact's preferred currency by default.")
    lines: list[OrderLineIn] = Field(min_length=1, max_length=500)
    payment_type_id: Id | None = optional()
    channel: OrderChannelValue = optional(
        description="store by default; web_shop for orders with a customer."
    )
    status: NewOrderStatusValue = optional(description="confirmed by default.")
    notes: Text = optional()
    ordered_at: Moment = optional(description="Now by default.")


class OrderUpdateIn(BodyIn):
    lines: list[OrderLineIn] = optional(
        min_length=1, max_length=500, description="Replaces all lines (draft/confirmed only)."
    )
    status: OrderStatusValue = optional(
        description="draft → confirmed → paid; any order may be cancelled."
    )
    notes: Text = optional()
    payment_type_id: Id | None = optional(description="null clears it.")
    channel: OrderChannelValue = optional()
    ordered_at: Moment = optional()


class OrderFilterIn(PageIn):
    contact_id: Id | None = None
    company_id: Id | None = None
    status: OrderStatusValue | None = None
    channel: OrderChannelValue | None = None
    date_from: datetime.date | None = Field(None, description="Ordered on or after this day.")
    date_to: datetime.date | None = Field(None, description="Ordered on or before this day.")


class ProductRefOut(Schema):
    id: int
    sku: str
    name: str


class OrderLineOut(Schema):
    id: int
    product: ProductRefOut | None
    description: str
    quantity: str
    unit_price: str
    discount_percent: str
    line_total: str

    @staticmethod
    def resolve_quantity(obj: OrderLine) -> str:
        return str(obj.quantity)

    @staticmethod
    def resolve_unit_price(obj: OrderLine) -> str:
        return str(obj.unit_price)

    @staticmethod
    def resolve_discount_percent(obj: OrderLine) -> str:
        return str(obj.discount_percent)

    @staticmethod
    def resolve_line_total(obj: OrderLine) -> str:
        return str(obj.line_total)


class OrderOut(Schema):
    id: int
    uuid: uuid.UUID
    contact: ContactRefOut | None
    company: RefOut | None
    currency: str = Field(description="ISO 4217 code of every amount in the order.")
    total: str = Field(description='Decimal string, e.g. "315000.00".')
    status: OrderStatusValue
    channel: OrderChannelValue
    origin: OrderOriginValue
    payment_type: RefOut | None
    notes: str
    ordered_at: datetime.datetime
    owner: UserRefOut | None
    created_by: UserRefOut | None
    lines: list[OrderLineOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_total(obj: Order) -> str:
        return str(obj.total)

    @staticmethod
    def resolve_lines(obj: Order) -> list[OrderLine]:
        return list(obj.lines.all())


class OrderListOut(Schema):
    items: list[OrderOut]
    count: int
