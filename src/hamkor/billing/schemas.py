"""Request and response shapes of the invoices API. Money goes out as decimal strings."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator

from hamkor.billing.models import Invoice, InvoiceLine
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
from hamkor.core.api_types import IsoDate
from hamkor.sales.schemas_orders import CurrencyCode

# Literal copies of the model choices, so OpenAPI lists them; a test keeps them in step.
InvoiceStatusValue = Literal["draft", "issued", "partly_paid", "paid", "void"]
LineKindValue = Literal["time", "order", "free"]
UnitValue = Literal["piece", "kg", "g", "l", "m", "box", "hour", "day", "service", ""]
BucketValue = Literal["current", "1_30", "31_60", "61_90", "over_90"]


def _as_text(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


DecimalText = Annotated[str, BeforeValidator(_as_text)]
Quantity = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=3)]
Price = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Amount = Annotated[Decimal, Field(gt=0, max_digits=16, decimal_places=2)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
MAX_IDS = 5000


class FreeLineIn(BodyIn):
    description: Text = Field(min_length=1, max_length=300)
    quantity: Quantity
    unit_price: Price = Field(description="In the invoice's currency.")
    unit: UnitValue = optional(description="A unit of the product list; none by default.")
    discount_percent: Percent = optional(description="0 by default.")
    tax_rate_percent: Percent = optional(description="The invoice's tax rate by default.")


class InvoiceCreateIn(BodyIn):
    contact_id: Id | None = optional(description="The contact billed; or company_id.")
    company_id: Id | None = optional(
        description="The company billed; its projects' time and its orders can go on it."
    )
    currency: CurrencyCode = Field(description="ISO 4217 code, e.g. UZS, KGS, USD.")
    time_entry_ids: list[Id] = optional(
        max_length=MAX_IDS,
        description="Unbilled billable time entries of the customer's projects.",
    )
    order_line_ids: list[Id] = optional(
        max_length=500, description="Lines of the customer's confirmed orders."
    )
    free_lines: list[FreeLineIn] = optional(max_length=500)
    tax_rate_percent: Percent = optional(description="The default tax rate (VAT 12%) if left out.")
    notes: Text = optional(max_length=2000)
    payment_terms_days: int = optional(
        ge=0, le=365, description="HAMKOR_INVOICE_DUE_DAYS by default."
    )


class InvoiceUpdateIn(BodyIn):
    remove_line_ids: list[Id] = optional(max_length=500, description="Lines to drop (drafts).")
    add_free_lines: list[FreeLineIn] = optional(max_length=500)
    tax_rate_percent: Percent = optional(description="Applied to every line.")
    notes: Text = optional(max_length=2000)
    payment_terms_days: int = optional(ge=0, le=365)


class IssueIn(BodyIn):
    issue_date: datetime.date = optional(description="Today by default; never in the future.")


class VoidIn(BodyIn):
    reason: Text = optional(max_length=255)


class SendIn(BodyIn):
    to_address: Text = optional(
        max_length=254, description="The contact's (or company's) email by default."
    )


class PaymentIn(BodyIn):
    amount: Amount = Field(description="In the invoice's currency; at most the balance due.")
    paid_on: datetime.date = optional(description="Today by default.")
    method_id: Id | None = optional(description="A payment type (GET /api/v1/orders lists them).")
    reference: Text = optional(max_length=120)


class InvoiceFilterIn(PageIn):
    status: InvoiceStatusValue | None = None
    q: Text | None = Field(None, max_length=100, description="Number or customer name.")
    contact_id: Id | None = None
    company_id: Id | None = None


class AgeingIn(Schema):
    on: IsoDate | None = Field(None, description="Age balances as of this day (today).")


class InvoiceLineOut(Schema):
    id: int
    kind: LineKindValue
    description: str
    quantity: DecimalText
    unit: str
    unit_price: DecimalText
    discount_percent: DecimalText
    line_net: DecimalText
    tax_rate: DecimalText
    tax_amount: DecimalText


class PaymentOut(Schema):
    id: int
    amount: DecimalText
    currency: str
    paid_on: datetime.date
    method: RefOut | None
    reference: str
    created_by: UserRefOut | None
    created_at: datetime.datetime


class InvoiceOut(Schema):
    id: int
    uuid: uuid.UUID
    number: str | None = Field(description='"2026-000123" once issued; null for drafts.')
    status: InvoiceStatusValue
    contact: ContactRefOut | None
    company: RefOut | None
    currency: str
    language: LanguageValue
    payment_terms_days: int
    issue_date: datetime.date | None
    due_date: datetime.date | None
    exchange_rate: DecimalText | None = Field(
        description="Base-currency units per unit of the invoice currency, fixed at issue."
    )
    net_total: DecimalText
    tax_total: DecimalText
    gross_total: DecimalText
    paid_total: DecimalText
    balance: DecimalText
    notes: str
    issued_at: datetime.datetime | None
    voided_at: datetime.datetime | None
    void_reason: str
    sent_at: datetime.datetime | None
    created_by: UserRefOut | None
    created_at: datetime.datetime
    lines: list[InvoiceLineOut]
    payments: list[PaymentOut]

    @staticmethod
    def resolve_lines(obj: Invoice) -> list[InvoiceLine]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_payments(obj: Invoice) -> list[Any]:
        return list(obj.payments.all())


class InvoiceListOut(Schema):
    items: list[InvoiceOut]
    count: int


class SendOut(Schema):
    message_id: int
    to_address: str
    status: str = Field(description="The outbox status: queued, blocked (with the reason), …")
    error: str


class BucketOut(Schema):
    key: BucketValue
    label: str


class AgeingRowOut(Schema):
    customer: str
    contact_id: int | None
    company_id: int | None
    invoices: int
    buckets: dict[str, DecimalText]
    total: DecimalText


class AgeingOut(Schema):
    on: datetime.date
    currency: str = Field(description="The base currency every amount is in.")
    buckets: list[BucketOut]
    rows: list[AgeingRowOut]
    totals: dict[str, DecimalText]
    total: DecimalText


class TaxRateOut(Schema):
    id: int
    name: str
    percent: DecimalText
    is_default: bool


class TaxRateListOut(Schema):
    items: list[TaxRateOut]
    count: int
