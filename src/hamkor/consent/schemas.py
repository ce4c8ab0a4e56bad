"""Request and response shapes of the consent API."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Schema

from hamkor.contacts.schemas import BodyIn, ConsentMethodValue, Text, UserRefOut

# Literal copies of the model choices, so OpenAPI lists the allowed values;
# tests/consent/test_api.py checks they stay equal to the models' choices.
PurposeValue = Literal["marketing", "service"]
ChannelValue = Literal["email", "sms", "telegram", "phone"]


class ConsentRecordOut(Schema):
    id: int
    purpose: PurposeValue
    channel: ChannelValue
    granted: bool = Field(description="True: consent given; false: withdrawn.")
    method: ConsentMethodValue
    text_shown: str = Field(description="The wording the customer saw and agreed to.")
    note: str
    source: str
    recorded_by: UserRefOut | None = Field(description="Null when the customer did it.")
    recorded_at: datetime.datetime = Field(description="When the customer said it.")
    created_at: datetime.datetime = Field(description="When it was entered in Hamkor.")


class ConsentRecordIn(BodyIn):
    purpose: PurposeValue
    channel: ChannelValue
    granted: bool
    method: ConsentMethodValue
    text_shown: Text = Field(
        "", max_length=5000, description="Required when granted: what the customer agreed to."
    )
    note: Text = Field("", max_length=500)
    recorded_at: datetime.datetime | None = Field(
        None, description="When the customer said it; now when left out. Not in the future."
    )


class ConsentStateOut(Schema):
    purpose: PurposeValue
    channel: ChannelValue
    granted: bool | None = Field(description="Null: nothing on record.")
    method: ConsentMethodValue | Literal[""]
    recorded_at: datetime.datetime | None
