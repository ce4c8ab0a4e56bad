"""Field values to JSON and back."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.db import models

from hamkor.transfer.codec import decode_value, encode_value


def test_encode_value_keeps_decimals_exact() -> None:
    assert encode_value(Decimal("120000.10")) == "120000.10"
    assert encode_value(Decimal("1E+2")) == "100"


def test_encode_value_writes_datetimes_with_their_offset() -> None:
    moment = datetime.datetime(2026, 3, 8, 9, 30, tzinfo=datetime.UTC)

    assert encode_value(moment) == "2026-03-08T09:30:00+00:00"
    assert decode_value(models.DateTimeField(), encode_value(moment)) == moment


def test_encode_value_writes_dates_times_uuids_and_durations() -> None:
    key = uuid.UUID("12345678-1234-5678-1234-567812345678")

    assert encode_value(datetime.date(2026, 3, 8)) == "2026-03-08"
    assert encode_value(datetime.time(9, 30)) == "09:30:00"
    assert encode_value(key) == "12345678-1234-5678-1234-567812345678"
    assert encode_value(datetime.timedelta(hours=1, minutes=30)) == "P0DT01H30M00S"
    assert decode_value(models.DurationField(), "P0DT01H30M00S") == datetime.timedelta(
        hours=1, minutes=30
    )


def test_binary_values_travel_as_base64() -> None:
    encoded = encode_value(memoryview(b"\x00\xffcake"))

    assert encoded == "AP9jYWtl"
    assert bytes(decode_value(models.BinaryField(), encoded)) == b"\x00\xffcake"


def test_json_values_travel_as_json_with_sorted_keys() -> None:
    value = {"sizes": [{"b": 1, "a": 2}], "favourite_cake": "Napoleon"}

    encoded = encode_value(value)

    assert encoded == value
    assert list(encoded) == ["favourite_cake", "sizes"]
    assert list(encoded["sizes"][0]) == ["a", "b"]
    assert decode_value(models.JSONField(), value) == value
    assert decode_value(models.DecimalField(max_digits=8, decimal_places=2), "2.50") == Decimal(
        "2.50"
    )
