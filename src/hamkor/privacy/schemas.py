"""API schemas of hamkor.privacy (names start with Privacy so no other app's clash)."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema


class PrivacyRequestOut(Schema):
    id: int
    kind: str = Field(description="export or erasure")
    contact_id: int = Field(description="Kept after the contact is deleted.")
    status: str
    requested_by: str | None = Field(default=None, description="Username; none for the CLI.")
    requested_at: datetime.datetime
    fulfilled_at: datetime.datetime | None
    note: str
    summary: dict[str, Any] = Field(description="Records per kind (export) or rows changed.")
    download_url: str | None = Field(
        default=None, description="The export zip, while it is kept (a week)."
    )


class PrivacyEraseIn(Schema):
    confirm: bool = Field(description="Must be true: an erasure cannot be undone.")
    note: str = Field(default="", max_length=2000, description="Who asked, and how.")


class PrivacyDryRunOut(Schema):
    policy: str
    months: int
    matched: int
    sample_ids: list[int]
