"""Request and response shapes of the time, timer, rate, workload and risk APIs."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from hamkor.activities.schemas import Moment
from hamkor.contacts.schemas import BodyIn, Id, PageIn, RefOut, Text, UserRefOut, optional
from hamkor.core.currency import round_money
from hamkor.projects.models import HourlyRate, TimeEntry
from hamkor.sales.schemas_orders import CurrencyCode, Price

Minutes = Annotated[int, Field(ge=1, le=24 * 60)]


class TaskRefOut(Schema):
    id: int
    title: str


class TimeEntryOut(Schema):
    id: int
    user: UserRefOut
    project: RefOut
    task: TaskRefOut | None
    started_at: datetime.datetime
    ended_at: datetime.datetime | None = Field(description="Null while the timer runs.")
    minutes: int | None = Field(description="Null while the timer runs.")
    running: bool
    note: str
    billable: bool
    rate: str | None = Field(
        description='Rate per hour when the entry was made, e.g. "50.00"; null: no rate.'
    )
    currency: str = Field(description="Currency of the rate; empty without one.")
    amount: str | None = Field(description="minutes / 60 x rate, rounded; null without a rate.")
    invoiced_at: datetime.datetime | None
    invoice_number: str
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_running(obj: TimeEntry) -> bool:
        return obj.ended_at is None

    @staticmethod
    def resolve_rate(obj: TimeEntry) -> str | None:
        return None if obj.rate is None else str(obj.rate)

    @staticmethod
    def resolve_amount(obj: TimeEntry) -> str | None:
        if obj.rate is None or obj.minutes is None or not obj.currency:
            return None
        return str(round_money(Decimal(obj.minutes) / 60 * obj.rate, obj.currency))


class TimeEntryListOut(Schema):
    items: list[TimeEntryOut]
    count: int


class TimeEntryFilterIn(PageIn):
    user_id: Id | None = None
    project_id: Id | None = None
    task_id: Id | None = None
    start: datetime.date | None = Field(None, description="First day (your time zone).")
    end: datetime.date | None = Field(None, description="Last day, included.")
    billable: bool | None = None
    invoiced: bool | None = None
    running: bool | None = None


class TimeEntryCreateIn(BodyIn):
    project_id: Id | None = optional(description="The project; or give task_id alone.")
    task_id: Id | None = optional(description="A task of the project.")
    day: datetime.date = optional(description="With minutes: a day's work without times.")
    started_at: Moment = optional(description="Start; with ended_at or minutes.")
    ended_at: Moment = optional(description="End; or give minutes.")
    minutes: Minutes = optional(description="Duration, 1 to 1440.")
    note: Text = Field("", max_length=500)
    billable: bool = True


class TimeEntryUpdateIn(BodyIn):
    project_id: Id = optional(description="Moving to another project drops the task.")
    task_id: Id | None = optional(description="null: no task.")
    day: datetime.date = optional()
    started_at: Moment = optional()
    ended_at: Moment = optional()
    minutes: Minutes = optional()
    note: Text = optional(max_length=500)
    billable: bool = optional()


class TimerStartIn(BodyIn):
    project_id: Id | None = optional(description="The project; or give task_id alone.")
    task_id: Id | None = optional()
    note: Text = Field("", max_length=500)
    billable: bool = True


class TimerOut(Schema):
    entry: TimeEntryOut | None = Field(description="The running timer; null when none runs.")
    stopped: TimeEntryOut | None = Field(
        None, description="The timer that starting this one stopped, if any."
    )


class RateOut(Schema):
    id: int
    user: UserRefOut | None
    project: RefOut | None
    task: TaskRefOut | None
    rate: str
    currency: str

    @staticmethod
    def resolve_rate(obj: HourlyRate) -> str:
        return str(obj.rate)


class RateListOut(Schema):
    items: list[RateOut]
    count: int


class RateFilterIn(PageIn):
    user_id: Id | None = None
    project_id: Id | None = None
    task_id: Id | None = None


class RateIn(BodyIn):
    user_id: Id | None = optional(description="Give exactly one of user_id, project_id, task_id.")
    project_id: Id | None = optional()
    task_id: Id | None = optional()
    rate: Price = Field(description="Per hour, e.g. 50.00.")
    currency: CurrencyCode


# --- workload and risks ------------------------------------------------------------------


class WorkloadFilterIn(Schema):
    weeks: int = Field(4, ge=1, le=26, description="ISO weeks from this one, 1 to 26.")
    team_id: Id | None = Field(None, description="Managers: one team's people only.")
    start: datetime.date | None = Field(None, description="A day in the first week.")


class WorkloadWeekOut(Schema):
    week: datetime.date = Field(description="The Monday of the ISO week.")
    hours: str
    over: bool = Field(description="More open hours than the person's capacity.")


class WorkloadRowOut(Schema):
    user: UserRefOut
    capacity: str = Field(description="Hours per week.")
    weeks: list[WorkloadWeekOut]
    undated: str = Field(description="Open hours of tasks without a due date.")


class WorkloadOut(Schema):
    weeks: list[datetime.date]
    rows: list[WorkloadRowOut]


class CapacityIn(BodyIn):
    weekly_hours: Annotated[Decimal, Field(ge=0, le=168, max_digits=5, decimal_places=2)]


class CapacityOut(Schema):
    user_id: int
    weekly_hours: str


class RiskTaskOut(Schema):
    id: int
    title: str
    due_date: datetime.date | None
    status: str
    project: RefOut
    assignee: UserRefOut | None


class RiskProjectOut(Schema):
    id: int
    name: str
    status: str
    due_date: datetime.date | None
    owner: UserRefOut | None


class BudgetRiskOut(Schema):
    project: RiskProjectOut
    hours: str = Field(description="Hours logged.")
    budget_hours: str | None
    cost: str | None = Field(description="Billable time at entry rates, project currency.")
    budget_amount: str | None
    currency: str
    over_hours: bool
    over_amount: bool
    cost_error: str = Field(description="Why the cost is unknown, e.g. a missing rate.")


class RisksOut(Schema):
    today: datetime.date
    overdue_tasks: list[RiskTaskOut]
    overdue_task_count: int
    late_projects: list[RiskProjectOut]
    late_project_count: int
    over_budget: list[BudgetRiskOut]
    over_budget_count: int
