"""Response shapes of the insight API. Money goes out as decimal strings in the base currency."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema

from hamkor.contacts.schemas import ContactRefOut, RefOut
from hamkor.sales.selectors.insight import DUE_SOON_DAYS


class MissingRateOut(Schema):
    currency: str
    on: datetime.date


class FavouriteOut(Schema):
    product: RefOut
    times: int = Field(description="Orders that held the product.")
    quantity: Decimal


class SummaryOut(Schema):
    currency: str = Field(description="The base currency every amount is in.")
    lifetime_value: Decimal
    orders: int
    average_order: Decimal | None
    first_purchase_at: datetime.datetime | None
    last_purchase_at: datetime.datetime | None
    favourites: list[FavouriteOut]
    missing_rates: list[MissingRateOut] = Field(
        description="Orders left out of the lifetime value: no exchange rate on that day."
    )


class CycleOut(Schema):
    product: RefOut
    purchases: int = Field(description="Distinct days the product was bought.")
    typical_gap_days: int
    last_purchased_on: datetime.date
    next_expected_on: datetime.date


class RecommendationOut(Schema):
    product: RefOut
    score: int = Field(description="Orders holding it together with the contact's products.")


class ContactInsightOut(Schema):
    contact_id: int
    is_loyal: bool
    loyalty_discount_percent: Decimal | None = Field(
        description="The discount to offer this customer, or null when none applies."
    )
    summary: SummaryOut
    cycles: list[CycleOut]
    due_soon: list[CycleOut]
    recommendations: list[RecommendationOut]


class DueSoonOut(CycleOut):
    contact: ContactRefOut


class DueSoonIn(Schema):
    days: int = Field(DUE_SOON_DAYS, ge=0, le=365, description="Look this many days ahead.")
