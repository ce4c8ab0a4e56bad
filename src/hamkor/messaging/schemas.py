"""Request and response shapes of the messaging API."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from hamkor.contacts.schemas import BodyIn, PageIn, Text, optional

ChannelValue = Literal["email", "sms", "telegram"]
# Callers of the API send to customers; staff messages are the reminders' business.
KindValue = Literal["transactional", "automated", "marketing"]
StatusValue = Literal[
    "queued", "waiting", "sending", "sent", "delivered", "failed", "blocked", "unknown"
]


class MessageOut(Schema):
    id: int
    uuid: str
    channel: ChannelValue
    kind: str
    status: StatusValue
    contact_id: int | None
    to_address: str
    subject: str
    body: str
    error: str
    attempts: int
    send_after: datetime.datetime
    sent_at: datetime.datetime | None
    delivered_at: datetime.datetime | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_uuid(obj: object) -> str:
        return str(getattr(obj, "uuid", ""))


class MessageListOut(Schema):
    items: list[MessageOut]
    count: int


class MessagePageIn(PageIn):
    pass


class MessageIn(BodyIn):
    contact_id: int = Field(..., ge=1, le=2**63 - 1)
    channel: ChannelValue
    kind: KindValue = "transactional"
    template: Text = optional(max_length=60, description="Template key; else give body.")
    subject: Text = optional(max_length=255)
    body: Text = optional(max_length=4000, description="Text; {{ contact.first_name }} works.")
    idempotency_key: Text = Field(
        ..., min_length=1, max_length=150, description="Same key, same message: safe retries."
    )
    not_before: datetime.datetime | None = None


class PreviewIn(BodyIn):
    channel: ChannelValue
    template: Text = optional(max_length=60)
    subject: Text = optional(max_length=255)
    body: Text = optional(max_length=4000)


class PreviewOut(Schema):
    subject: str
    body: str
    language: str
