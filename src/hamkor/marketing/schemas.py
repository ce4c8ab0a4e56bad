"""Request and response shapes of the marketing API."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from hamkor.contacts.schemas import BodyIn
from hamkor.core.api_types import IsoDate
from hamkor.marketing.models import CampaignChannel, SendChannel


class SegmentIn(BodyIn):
    name: str = Field(max_length=120)
    description: str = Field("", max_length=255)
    rules: dict[str, Any] = Field(
        default_factory=dict,
        description='{"match": "all"|"any", "rules": [{"field", "op", "value"} or a group]}.',
    )


class SegmentOut(Schema):
    id: int
    name: str
    description: str
    kind: str
    rules: dict[str, Any]
    frozen_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class CountOut(Schema):
    count: int = Field(description="Members you may see.")


class RulesCountIn(BodyIn):
    rules: dict[str, Any] = Field(default_factory=dict)


class MemberOut(Schema):
    id: int
    first_name: str
    last_name: str
    full_name: str
    city: str
    language: str
    stage: str


class MemberListOut(Schema):
    items: list[MemberOut]
    count: int
    count_capped: bool
    next: str | None


class MembersIn(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)
    after: str = ""


class CampaignIn(BodyIn):
    name: str = Field(max_length=120)
    channel: CampaignChannel
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    cost: Decimal = Field(Decimal("0"), ge=0, max_digits=16, decimal_places=2)
    currency: str = Field(min_length=3, max_length=3)
    source_id: int | None = None
    utm_campaign: str = Field("", max_length=100)
    notes: str = ""


class CampaignOut(Schema):
    id: int
    name: str
    channel: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    cost: Decimal
    currency: str
    source_id: int | None
    utm_campaign: str | None
    notes: str


class EffectivenessIn(Schema):
    start: IsoDate
    end: IsoDate


class EffectivenessRowOut(Schema):
    kind: str
    id: int | None
    name: str
    new_contacts: int
    customers: int
    revenue: Decimal
    cost: Decimal | None
    cost_per_customer: Decimal | None
    roi: Decimal | None = Field(description="(revenue − cost) / cost; null without a cost.")


class EffectivenessOut(Schema):
    start: datetime.date
    end: datetime.date
    currency: str
    campaigns: list[EffectivenessRowOut]
    sources: list[EffectivenessRowOut]


class SendIn(BodyIn):
    segment_id: int
    channel: SendChannel
    subject: str = Field("", max_length=255)
    body: str = Field(max_length=10_000)


class SendPreviewOut(Schema):
    members: int
    recipients: int
    unsubscribed: int
    no_consent: int
    no_address: int


class SendOut(Schema):
    id: int
    uuid: str
    segment_id: int
    channel: str
    subject: str
    status: str
    total: int
    processed: int
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    messages: dict[str, int] = Field(description="Outbox messages of this send by status.")
