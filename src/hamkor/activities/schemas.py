"""Request and response shapes of the interactions and activities APIs."""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field

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
from hamkor.core.api_types import IsoDate

# Literal copies of the model choices, so OpenAPI lists them; a test keeps them in step.
ChannelValue = Literal[
    "visit", "phone", "fax", "mail", "email", "web", "telegram", "sms", "social", "other"
]
DirectionValue = Literal["in", "out"]
OutcomeValue = Literal["successful", "unsuccessful", "no_answer", "follow_up"]


def _storable_moment(value: datetime.datetime) -> datetime.datetime:
    # Times at the very edge of the calendar cannot be converted to UTC for storage. The
    # value goes on in UTC: PostgreSQL refuses offsets past ±15:59 (ISO allows up to ±23:59).
    try:
        aware = value if timezone.is_aware(value) else timezone.make_aware(value)
        return aware.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        raise ValueError(_("Give a time between the years 1 and 9999.")) from None


_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}([T ]|$)")


def _written_moment(value: Any) -> Any:
    # Lax Pydantic reads a number as seconds since 1970; a caller who sent one meant
    # something else and should be told (as core.api_types.IsoDate does for dates).
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and _ISO_MOMENT.match(value.strip()):
        return value.strip()
    raise ValueError(_("Write the time as YYYY-MM-DDTHH:MM, with its UTC offset if known."))


Moment = Annotated[
    datetime.datetime, BeforeValidator(_written_moment), AfterValidator(_storable_moment)
]


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


# --- planned activities ------------------------------------------------------------------

ActivityKindValue = Literal["call", "meeting", "task", "follow_up"]
ActivityOutcomeValue = Literal["successful", "unsuccessful", "rescheduled"]
Minutes = Annotated[int, Field(ge=0, le=60 * 24 * 31)]


class _ActivityFieldsIn(BodyIn):
    subject: Text = optional(max_length=200)
    duration_minutes: Minutes = optional(description="30 by default.")
    location: Text = optional(max_length=200)
    note: Text = optional()
    remind_minutes_before: Minutes | None = optional(
        description="Minutes before the due time to remind the owner; null for no reminder. "
        "15 by default."
    )
    owner_id: Id = optional(description="Whose calendar; yours by default.")


class ActivityCreateIn(_ActivityFieldsIn):
    kind: ActivityKindValue
    subject: Text = Field(max_length=200, min_length=1)
    due_at: Moment = Field(description="When it starts. Without an offset: server time.")
    contact_id: Id | None = optional()
    company_id: Id | None = optional(description="Defaults to the contact's company.")
    deal_id: Id | None = optional(description="Fills the contact and company when not given.")


class ActivityUpdateIn(_ActivityFieldsIn):
    kind: ActivityKindValue = optional()
    due_at: Moment = optional()


class FollowUpIn(BodyIn):
    kind: ActivityKindValue = "follow_up"
    subject: Text = optional(max_length=200, description="The original subject by default.")
    due_at: Moment
    duration_minutes: Minutes = optional()
    location: Text = optional(max_length=200)
    note: Text = optional()
    remind_minutes_before: Minutes | None = optional()


class CompleteIn(BodyIn):
    outcome: ActivityOutcomeValue
    note: Text = optional(description="Appended to the activity's note.")
    follow_up: FollowUpIn | None = optional(
        description="Planned in the same transaction; required when rescheduled."
    )


class DealRefOut(Schema):
    id: int
    title: str


class ActivityOut(Schema):
    id: int
    kind: ActivityKindValue
    subject: str
    contact: ContactRefOut | None
    company: RefOut | None
    deal: DealRefOut | None
    owner: UserRefOut | None
    due_at: datetime.datetime
    ends_at: datetime.datetime
    duration_minutes: int
    location: str
    note: str
    outcome: ActivityOutcomeValue | Literal[""]
    done_at: datetime.datetime | None
    remind_minutes_before: int | None
    follow_up_of_id: int | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ActivityListOut(Schema):
    items: list[ActivityOut]
    count: int


class CompleteOut(Schema):
    activity: ActivityOut
    follow_up: ActivityOut | None


class ActivityFilterIn(PageIn):
    owner_id: Id | None = None
    team_id: Id | None = None
    contact_id: Id | None = None
    company_id: Id | None = None
    deal_id: Id | None = None
    kind: ActivityKindValue | Literal[""] = ""
    start: Moment | None = Field(None, description="Due at or after this moment.")
    end: Moment | None = Field(None, description="Due before this moment.")
    open: bool = Field(False, description="Only activities not done yet.")


class FollowUpGivenOut(Schema):
    activity_id: int
    contact: ContactRefOut | None
    done_at: datetime.datetime
    hours_after: float | None = Field(description="Since the activity it follows up, if any.")


class UserStatsOut(Schema):
    user: UserRefOut | None
    meetings_held: int
    meetings_successful: int
    follow_up_customers: int
    follow_ups: list[FollowUpGivenOut]


class ActivityStatsOut(Schema):
    start: datetime.date
    end: datetime.date = Field(description="Exclusive.")
    meetings_held: int
    meetings_successful: int
    follow_up_customers: int
    users: list[UserStatsOut]


class StatsFilterIn(Schema):
    week: IsoDate | None = Field(
        None, description="Any day of the week to count; last week by default."
    )
