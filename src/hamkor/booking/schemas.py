"""Shapes of the booking API."""

from __future__ import annotations

import datetime
import uuid

from ninja import Schema
from pydantic import Field

from hamkor.activities.schemas import Moment
from hamkor.contacts.schemas import BodyIn
from hamkor.core.api_types import IsoDate


class PageOut(Schema):
    id: int
    slug: str
    title: str
    description: str
    meeting_type: str
    location: str
    duration_minutes: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    min_notice_minutes: int
    days_ahead: int
    is_published: bool
    staff_id: int = Field(description="The staff member customers book.")
    url: str = Field(description="The public booking page.")


class SlotsFilterIn(Schema):
    tz: str = Field("", description="IANA zone of the customer; the organisation's by default.")
    start: IsoDate | None = Field(None, description="First day, in the customer's zone.")
    end: IsoDate | None = Field(None, description="Last day (inclusive), same zone.")


class SlotOut(Schema):
    start: datetime.datetime = Field(description="In the customer's zone, with its offset.")
    end: datetime.datetime


class SlotsOut(Schema):
    tz: str
    slots: list[SlotOut]


class BookingIn(BodyIn):
    start: datetime.datetime = Field(description="One of the offered starts, with an offset.")
    name: str = Field(min_length=1, max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=32)
    note: str = Field("", max_length=2000)
    channel: str = Field("", description="email or sms; email when given, else sms.")
    consent: bool = Field(False, description="The customer agreed to messages on the channel.")
    tz: str = Field("", description="The customer's IANA zone, for the confirmation.")
    language: str = Field("", description="en, ru, uz or ky; the organisation's by default.")


class BookingOut(Schema):
    id: int
    uuid: uuid.UUID
    page_id: int
    contact_id: int
    activity_id: int | None
    owner_id: int | None
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    status: str
    name: str
    email: str
    phone: str
    note: str
    channel: str
    customer_time_zone: str
    language: str


class BookingFilterIn(Schema):
    start: Moment | None = Field(None, description="Starting at or after; now.")
    status: str = Field("confirmed", description="confirmed, cancelled, or empty for both.")
    owner_id: int | None = None
