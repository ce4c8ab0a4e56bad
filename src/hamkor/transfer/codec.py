"""Field values to JSON and back: one JSON object per row, keyed by column (``owner_id``).

Decimals travel as strings (no float rounding), datetimes as ISO 8601 with their offset,
dates and times as ISO, UUIDs as strings, durations as ISO 8601, binary as base64, JSON
columns as JSON with sorted keys. Reading back goes through each field's own ``to_python``.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import json
import uuid
from typing import Any

from django.db import models
from django.utils.duration import duration_iso_string


def encode_value(value: Any) -> Any:
    """A database value as JSON-compatible data."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    # JSON columns come back decoded. PostgreSQL's jsonb keeps keys in its own order and
    # SQLite in the written one: sorted keys make both exports of one install the same.
    return _sorted_keys(value)


def _sorted_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _sorted_keys(value[key]) for key in sorted(value, key=str)}
    if isinstance(value, list | tuple):
        return [_sorted_keys(item) for item in value]
    return value


def encode_row(columns: list[str], values: tuple[Any, ...]) -> bytes:
    """One exported line: the row as a JSON object, UTF-8, ending in a newline."""
    row = {column: encode_value(value) for column, value in zip(columns, values, strict=True)}
    text = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8") + b"\n"


def decode_value(field: models.Field[Any, Any], value: Any) -> Any:
    """An exported value as the Python value the field stores."""
    if value is None or isinstance(field, models.JSONField):
        return value
    return field.to_python(value)
