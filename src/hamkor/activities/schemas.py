"""Request and response shapes of the interactions API."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator

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
ChannelValue = Literal[
    "visit", "phone", "fax", "mail", "email", "web", "telegram", "sms", "social", "other"
]
DirectionValue = Literal["in", "out"]
OutcomeValue = Literal["successful", "unsuccessful", "no_answer", "follow_up"]


def _storable_moment(value: datetime.datetime) -> datetime.datetime:
    # Times at the very edge of the calendar cannot be converted to UTC for storage.
    try:
        aware = value if timezone.is_aware(value) else timezone.make_aware(value)
        aware.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        raise ValueError(_("Give a time between the years 1 and 9999.")) from None
    return aware


Moment = Annotated[datetime.datetime, AfterValidator(_storable_moment)]


class _InteractionFieldsIn(BodyIn):
    subject: Text = optional(max_length=200)
    body: Text = optional()
    outcome: OutcomeValue | Literal[""] = optional(description="Empty when not known.")
    occurred_at: Moment = optional(
        description="When it happened; now by default. Without an offset: server time."
    )


class InteractionCreateIn(_InteractionFieldsIn):
    contact_id: Id | None = optional(description="The contact; needs this or company_id.")
    company_id: Id | None = optional(description="The company; defaults to the contact's company.")
    channel: ChannelValue
    direction: DirectionValue


class InteractionUpdateIn(_InteractionFieldsIn):
    channel: ChannelValue = optional()
    direction: DirectionValue = optional()


class InteractionOut(Schema):
    id: int
    contact: ContactRefOut | None
    company: RefOut | None
    channel: ChannelValue
    direction: DirectionValue
    subject: str
    body: str
    outcome: OutcomeValue | Literal[""]
    occurred_at: datetime.datetime
    created_by: UserRefOut | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class InteractionListOut(Schema):
    items: list[InteractionOut]
    count: int


class InteractionFilterIn(PageIn):
    contact_id: Id | None = None
    company_id: Id | None = None
    channel: ChannelValue | Literal[""] = ""
