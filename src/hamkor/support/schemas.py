"""Request and response shapes of the support API."""

from __future__ import annotations

import datetime
import uuid
from typing import Literal

from ninja import Field, Schema

from hamkor.contacts.schemas import (
    BodyIn,
    ContactRefOut,
    Id,
    PageIn,
    RefOut,
    Text,
    UserRefOut,
    optional,
)

# Literal copies of the model choices, so OpenAPI lists them; a test keeps them in step.
TicketStatusValue = Literal["new", "open", "waiting", "resolved", "closed"]
TicketTypeValue = Literal["question", "request", "complaint", "suggestion"]
TicketChannelValue = Literal["portal", "email", "telegram", "sms", "phone", "web_form"]
PriorityValue = Literal["low", "normal", "high", "urgent"]


class TicketFilterIn(PageIn):
    status: TicketStatusValue | None = None
    priority: PriorityValue | None = None
    assignee_id: Id | None = None
    contact_id: Id | None = None
    breached: bool | None = Field(None, description="Only tickets with a late SLA target.")
    q: Text | None = Field(None, max_length=100, description="Subject, #number or customer.")


class TicketCreateIn(BodyIn):
    contact_id: Id
    subject: Text = Field(min_length=1, max_length=200)
    body: Text = Field(min_length=1, max_length=20_000, description="The customer's words.")
    type: TicketTypeValue = optional(description="question by default.")
    channel: TicketChannelValue = optional(description="phone by default.")
    priority: PriorityValue = optional(description="normal by default.")
    assignee_id: Id | None = optional(description="Someone you may assign to.")


class MessageIn(BodyIn):
    body: Text = Field(min_length=1, max_length=20_000)
    internal: bool = Field(False, description="An internal note, never shown to the customer.")


class StatusIn(BodyIn):
    status: TicketStatusValue


class PriorityIn(BodyIn):
    priority: PriorityValue


class AssignIn(BodyIn):
    assignee_id: Id | None = Field(description="null to unassign.")


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str


class MessageOut(Schema):
    id: int
    body: str
    internal: bool
    author_user: UserRefOut | None
    author_contact: ContactRefOut | None
    created_at: datetime.datetime
    attachments: list[AttachmentOut]


class TicketOut(Schema):
    id: int
    uuid: uuid.UUID
    number: str = Field(description='"#123", as the customer sees it.')
    subject: str
    type: TicketTypeValue
    channel: TicketChannelValue
    priority: PriorityValue
    status: TicketStatusValue
    contact: ContactRefOut
    company: RefOut | None
    assignee: UserRefOut | None
    team: RefOut | None
    created_at: datetime.datetime
    first_response_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    first_response_due_at: datetime.datetime | None
    resolution_due_at: datetime.datetime | None
    sla_paused: bool = Field(description="The resolution clock waits for the customer.")
    first_response_breached_at: datetime.datetime | None
    resolution_breached_at: datetime.datetime | None

    @staticmethod
    def resolve_sla_paused(obj: object) -> bool:
        return getattr(obj, "paused_at", None) is not None


class TicketDetailOut(TicketOut):
    messages: list[MessageOut]

    @staticmethod
    def resolve_messages(obj: object) -> list[object]:
        return list(obj.messages.all())  # type: ignore[attr-defined]


class TicketListOut(Schema):
    items: list[TicketOut]
    count: int
