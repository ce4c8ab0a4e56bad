"""Schemas of the audit API."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema

from hamkor.contacts.schemas import AFTER_HELP, COUNT_HELP, NEXT_HELP, PageIn, Text, UserRefOut
from hamkor.core.api_types import IsoDate


class AuditFilterIn(PageIn):
    actor: Text = Field("", max_length=150, description="Username of who did it.")
    verb: Text = Field(
        "",
        max_length=64,
        description='An action ("contact.updated"); without a dot, every action of that kind.',
    )
    target_type: Text = Field(
        "", max_length=64, description='Record type, e.g. "contacts.contact".'
    )
    target_id: Text = Field("", max_length=64, description="Record id (with target_type).")
    ip: Text = Field("", max_length=45, description="Client IP address.")
    date_from: IsoDate | None = Field(None, description="First day, in your time zone.")
    date_to: IsoDate | None = Field(None, description="Last day (included).")
    q: Text = Field("", max_length=200, description="Text anywhere in the details.")
    after: Text = Field("", max_length=2000, description=AFTER_HELP)


class AuditEventOut(Schema):
    id: int
    created_at: datetime.datetime
    actor: UserRefOut | None = Field(description="Null for system work and failed logins.")
    verb: str
    target_type: str
    target_id: str = Field(description="Empty for a failed login with an unknown username.")
    data: dict[str, Any] = Field(
        description='Details; updates carry "changed": {field: [before, after]}.'
    )
    ip: str | None
    user_agent: str
    via: str = Field(description="web, api, cli or worker; empty for events from before.")
    request: str = Field(description='"METHOD /path" of the request that did it.')
    redacted_at: datetime.datetime | None = Field(
        description="When a person's data in this event was replaced with [erased]."
    )


class AuditEventListOut(Schema):
    items: list[AuditEventOut]
    count: int = Field(description=COUNT_HELP.format(things="events"))
    count_capped: bool = Field(description="True when more than `count` events match.")
    next: str | None = Field(description=NEXT_HELP)
