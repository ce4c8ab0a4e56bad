"""API shapes for automation rules, their runs, and webhook deliveries."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema

from hamkor.contacts.schemas import BodyIn, PageIn


class RuleOut(Schema):
    id: int
    key: str | None = Field(None, description="Set on ready-made rules.")
    name: str
    description: str
    trigger: str
    trigger_params: dict[str, Any]
    conditions: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    enabled: bool
    owner_id: int | None
    run_count: int = 0
    last_run_at: datetime.datetime | None = None


class RuleListOut(Schema):
    items: list[RuleOut]
    count: int


class RuleIn(BodyIn):
    name: str = Field(..., max_length=120)
    description: str = Field("", max_length=255)
    trigger: str = Field(..., description="record_created, field_changed, date_reached, …")
    trigger_params: dict[str, Any] = Field(default_factory=dict)
    conditions: list[dict[str, Any]] = Field(
        default_factory=list,
        description='Rows like {"field": "city", "op": "equals", "value": "Tashkent"}.',
    )
    actions: list[dict[str, Any]] = Field(
        ..., description='Rows in order, like {"type": "add_tag", "tag": "vip"}.'
    )
    enabled: bool = False


class ToggleIn(BodyIn):
    enabled: bool


class RunOut(Schema):
    id: int
    key: str
    event_id: int | None
    target_type: str
    target_id: str
    target_label: str
    status: str
    message: str
    steps: list[dict[str, Any]]
    started_at: datetime.datetime
    finished_at: datetime.datetime | None


class RunListOut(Schema):
    items: list[RunOut]
    count: int


class DeliveryOut(Schema):
    id: int
    endpoint_id: int
    event: str
    status: str
    attempts: int
    status_code: int | None
    response_excerpt: str
    error: str
    next_retry_at: datetime.datetime | None
    created_at: datetime.datetime
    delivered_at: datetime.datetime | None


class DeliveryListOut(Schema):
    items: list[DeliveryOut]
    count: int


class RunsIn(PageIn):
    pass
