"""Shapes of the analytics API: dashboard figures, cohorts and a contact's RFM score."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema

from hamkor.analytics.forms import MAX_CHURN_DAYS, MAX_MONTHS
from hamkor.analytics.selectors import DEFAULT_CHURN_DAYS, DEFAULT_MONTHS


class DashboardQueryIn(Schema):
    churn_days: int = Field(
        DEFAULT_CHURN_DAYS, ge=1, le=MAX_CHURN_DAYS, description="Days without a purchase."
    )
    months: int = Field(DEFAULT_MONTHS, ge=1, le=MAX_MONTHS, description="Months of history.")


class DashboardStageOut(Schema):
    pipeline: str
    stage: str
    deals: int
    amount: Decimal = Field(description="Open deals' amount in the base currency.")


class RevenueMonthOut(Schema):
    month: datetime.date = Field(description="First day of the month.")
    orders: int
    revenue: Decimal


class NewCustomersSourceOut(Schema):
    source_id: int | None
    name: str
    counts: list[int] = Field(description="New customers per month, oldest month first.")
    total: int


class DashboardMeetingsOut(Schema):
    start: datetime.date
    end: datetime.date = Field(description="Exclusive.")
    held: int
    successful: int
    success_rate: Decimal | None = Field(description="Percent; null when none were held.")


class DashboardFollowUpsOut(Schema):
    overdue: int
    due_today: int


class DashboardTicketsOut(Schema):
    active: int
    breached: int
    at_risk: int


class CohortRetentionOut(Schema):
    cohort: datetime.date = Field(description="Month of the first purchase.")
    customers: int
    returning: list[int | None] = Field(
        description="Customers buying 1…11 months later; null for months not yet reached."
    )
    retention: list[Decimal | None] = Field(description="The same as percent of the cohort.")


class ChurnedCustomerOut(Schema):
    contact_id: int
    name: str
    last_order_on: datetime.date
    orders: int
    lifetime_value: Decimal


class DashboardChurnOut(Schema):
    days: int
    cutoff: datetime.date = Field(description="Churned: last purchase before this day.")
    customers: int
    latest: list[ChurnedCustomerOut]


class DashboardFiguresOut(Schema):
    currency: str
    refreshed_at: datetime.datetime | None = Field(
        description="When revenue, customers, cohorts and churn were last computed."
    )
    pipeline: list[DashboardStageOut]
    revenue_by_month: list[RevenueMonthOut]
    new_customer_months: list[datetime.date]
    new_customers_by_source: list[NewCustomersSourceOut]
    meetings_last_week: DashboardMeetingsOut
    follow_ups: DashboardFollowUpsOut
    tickets: DashboardTicketsOut
    cohorts: list[CohortRetentionOut]
    churn: DashboardChurnOut


class RfmScoreOut(Schema):
    contact_id: int
    recency: int
    frequency: int
    monetary: int
    code: str = Field(description="R, F and M as three digits, e.g. 545.")
    group: str
    group_name: str
    explanation: str
    orders: int
    first_order_on: datetime.date | None
    last_order_on: datetime.date
    lifetime_value: Decimal
    currency: str
    computed_at: datetime.datetime
