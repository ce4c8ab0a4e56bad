"""Request and response shapes of the deals API."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from hamkor.contacts.schemas import (
    UPDATE_VERSION_HELP,
    VERSION_HELP,
    BodyIn,
    ChangeOut,
    ContactRefOut,
    Id,
    PageIn,
    RefOut,
    Text,
    UserRefOut,
    optional,
)
from hamkor.sales.models import Deal, Pipeline, PipelineStage

# Literal copies of StageOutcome, so OpenAPI lists the allowed values.
OutcomeValue = Literal["open", "won", "lost"]


class StageOut(Schema):
    id: int
    name: str
    position: int
    probability: int = Field(description="Win probability in per cent.")
    outcome: OutcomeValue


class PipelineOut(Schema):
    id: int
    name: str
    stages: list[StageOut]

    @staticmethod
    def resolve_stages(obj: Pipeline) -> list[PipelineStage]:
        return list(obj.stages.all())


class PipelineListOut(Schema):
    items: list[PipelineOut]
    count: int


class StageChangeOut(Schema):
    from_stage: RefOut | None
    to_stage: RefOut
    changed_by: UserRefOut | None
    changed_at: datetime.datetime


class DealOut(Schema):
    id: int
    title: str
    contact: ContactRefOut | None
    company: RefOut | None
    pipeline: RefOut
    stage: RefOut
    amount: Decimal = Field(description='Decimal as a string, e.g. "1250.00".')
    currency: str
    expected_close_date: datetime.date | None
    owner: UserRefOut | None
    team_id: int | None
    status: OutcomeValue
    lost_reason: str
    closed_at: datetime.datetime | None
    notes: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int = Field(description=VERSION_HELP)


class DealDetailOut(DealOut):
    stage_history: list[StageChangeOut] = Field(description="Every stage change, oldest first.")

    @staticmethod
    def resolve_stage_history(obj: Deal) -> list[object]:
        return list(obj.stage_changes.all())


class DealListOut(Schema):
    items: list[DealOut]
    count: int = Field(description="All matching deals, not only this page.")


class DealFilterIn(PageIn):
    pipeline_id: Id | None = None
    stage_id: Id | None = None
    status: OutcomeValue | Literal[""] = ""
    owner_id: Id | None = None
    contact_id: Id | None = None


class _DealFieldsIn(BodyIn):
    contact_id: Id | None = None
    company_id: Id | None = None
    amount: Decimal = optional(ge=0, max_digits=16, decimal_places=2)
    currency: Text = optional(min_length=3, max_length=3, description="ISO 4217 code, e.g. USD.")
    expected_close_date: datetime.date | None = None
    owner_id: Id | None = optional(description="Defaults to you on create.")
    notes: Text = optional()


class DealCreateIn(_DealFieldsIn):
    title: Text = Field(min_length=1, max_length=200)
    pipeline_id: Id = Field(description="See GET /api/v1/deals/pipelines.")
    stage_id: Id | None = Field(None, description="Defaults to the pipeline's first open stage.")
    lost_reason: Text = Field("", max_length=255, description="Needed when the stage is lost.")


class DealUpdateIn(_DealFieldsIn):
    title: Text = optional(min_length=1, max_length=200)
    version: Id = optional(description=UPDATE_VERSION_HELP)


class DealConflictOut(Schema):
    detail: str = Field(description="What happened, in the caller's language.")
    current: DealDetailOut = Field(description="The deal as it is stored now.")
    changes: list[ChangeOut] = Field(description="What others changed after your version.")


class MoveIn(BodyIn):
    stage_id: Id
    lost_reason: Text = Field("", max_length=255, description="Needed when the stage is lost.")


class ForecastFilterIn(Schema):
    pipeline_id: Id | None = None


class ForecastMonthOut(Schema):
    month: str | None = Field(description="YYYY-MM; null for open deals without a date.")
    deals: int
    amount: Decimal | None = Field(
        description="Sum in the base currency; null if a rate is missing."
    )
    weighted: Decimal | None = Field(description="Sum of amount × stage probability.")
    error: str = Field(description="Why a sum is missing, e.g. no exchange rate.")


class ForecastOut(Schema):
    currency: str = Field(description="The base currency of every sum.")
    items: list[ForecastMonthOut]
