"""Parsing what people type as a duration."""

import pytest

from hamkor.projects.forms_time import format_minutes, parse_duration


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1:30", 90),
        ("0:05", 5),
        ("1.5", 90),
        ("1,25", 75),
        ("2", 120),
        ("90m", 90),
        ("45 min", 45),
        ("2h", 120),
        ("1h 30m", 90),
        ("1.5h", 90),
    ],
)
def test_parse_duration_reads_common_ways_of_writing_time(text, minutes):
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["", "soon", "1:75", "1:2:3", "h", "-1:00"])
def test_parse_duration_refuses_what_is_not_a_duration(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_format_minutes_writes_hours_and_minutes():
    assert [format_minutes(m) for m in (0, 5, 95, 600, None)] == [
        "0:00",
        "0:05",
        "1:35",
        "10:00",
        "0:00",
    ]
