"""Input types for API schemas that Pydantic's lax mode would otherwise read too freely."""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _require_iso_date(value: Any) -> Any:
    # Lax Pydantic reads a number as seconds since 1970, so "?week=-7.6e-219" became a date in
    # 1969; an API caller who sent a number meant something else and should be told.
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        return value.strip()
    raise ValueError("Use a date written as YYYY-MM-DD.")


IsoDate = Annotated[
    datetime.date,
    BeforeValidator(_require_iso_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]
