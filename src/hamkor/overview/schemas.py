"""Response shape of the customer overview API. Money goes out as decimal strings."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema


class PartOut(Schema):
    currency: str
    amount: Decimal


class AmountOut(Schema):
    amount: Decimal | None = Field(
        description="The total in `currency`; null when an exchange rate is missing."
    )
    currency: str
    parts: list[PartOut] = Field(description="The sums per original currency it is made of.")
    error: str = Field(description="Why the total is unavailable, if it is.")


class CustomerOut(Schema):
    kind: Literal["contact", "company"]
    id: int
    name: str


class DealRowOut(Schema):
    id: int
    title: str
    status: str
    stage: str
    amount: Decimal
    currency: str
    expected_close_date: datetime.date | None


class DealsOut(Schema):
    count: int
    open_count: int
    won_count: int
    lost_count: int
    open_amount: AmountOut
    won_amount: AmountOut
    latest: list[DealRowOut] = Field(description="Open deals first, then the newest.")


class OrderRowOut(Schema):
    id: int
    status: str
    ordered_at: datetime.datetime
    total: Decimal
    currency: str


class OrdersOut(Schema):
    count: int = Field(description="Every order, drafts and cancelled ones included.")
    purchase_count: int = Field(description="Confirmed or paid orders.")
    purchases: AmountOut = Field(description="Total of the confirmed and paid orders.")
    last_ordered_at: datetime.datetime | None
    latest: list[OrderRowOut]


class ProjectRowOut(Schema):
    id: int
    name: str
    status: str
    due_date: datetime.date | None
    task_count: int
    done_count: int
    open_tasks: int
    progress_percent: int
    hours_logged: Decimal
    budget_hours: Decimal | None
    over_budget: bool = Field(description="More hours logged than the hours budget.")


class ProjectsOut(Schema):
    count: int
    open_count: int
    over_budget_count: int
    hours_logged: Decimal
    budget_hours: Decimal | None = Field(
        description="Sum of the hours budgets; null when no project has one."
    )
    hours_on_budgeted: Decimal = Field(description="Hours logged on projects with a budget.")
    latest: list[ProjectRowOut] = Field(description="Open projects first, then the newest.")


class TaskRowOut(Schema):
    id: int
    project_id: int
    title: str
    status: str
    due_date: datetime.date | None
    assignee_id: int | None
    role: str
    overdue: bool


class TasksOut(Schema):
    open_count: int
    overdue_count: int
    upcoming: list[TaskRowOut] = Field(description="Open tasks, soonest due first.")


class InvoiceRowOut(Schema):
    id: int
    number: str | None
    status: str
    currency: str
    gross_total: Decimal
    balance: Decimal
    issue_date: datetime.date | None
    due_date: datetime.date | None


class InvoicesOut(Schema):
    count: int
    open_count: int
    overdue_count: int
    invoiced: AmountOut
    paid: AmountOut
    balance: AmountOut = Field(description="Still due on issued and partly paid invoices.")
    overdue: AmountOut
    latest: list[InvoiceRowOut]


class InteractionRowOut(Schema):
    id: int
    channel: str
    direction: str
    subject: str
    outcome: str
    occurred_at: datetime.datetime


class OverviewOut(Schema):
    customer: CustomerOut
    currency: str = Field(
        description="The currency of every total: the contact's preferred currency, for a "
        "company the base currency."
    )
    today: datetime.date
    deals: DealsOut
    orders: OrdersOut
    projects: ProjectsOut
    tasks: TasksOut
    invoices: InvoicesOut | None = Field(
        description="Null for roles that see no invoices (support, operations)."
    )
    interactions: list[InteractionRowOut] = Field(description="The latest, newest first.")
