"""Free-slot arithmetic: pure functions of the rules, the hours, the days off and busy times.

Working hours are wall-clock times in the staff member's zone. Every interval is turned into
UTC once, then stepped in UTC, so a daylight-saving change never shifts a slot by an hour.
"""

from __future__ import annotations

import datetime
import functools
import zoneinfo
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

UTC = datetime.UTC


@dataclass(frozen=True)
class SlotRules:
    """A booking page's rules, as durations."""

    duration: datetime.timedelta
    step: datetime.timedelta
    buffer_before: datetime.timedelta
    buffer_after: datetime.timedelta
    notice: datetime.timedelta
    days_ahead: int


Interval = tuple[datetime.datetime, datetime.datetime]
DailyHours = Mapping[int, Sequence[tuple[datetime.time, datetime.time]]]


@functools.cache
def known_zones() -> frozenset[str]:
    """Every IANA zone name the server knows."""
    return frozenset(zoneinfo.available_timezones())


def parse_zone(name: str) -> zoneinfo.ZoneInfo:
    """The zone called ``name``; a ValidationError names what was wrong."""
    name = (name or "").strip()
    if name not in known_zones():
        raise ValidationError(
            {"tz": _("“%(value)s” is not a time zone; pick one from the list.") % {"value": name}}
        )
    return zoneinfo.ZoneInfo(name)


def candidate_slots(
    *,
    rules: SlotRules,
    zone: datetime.tzinfo,
    hours: DailyHours,
    days_off: Sequence[tuple[datetime.date, datetime.date]],
    now: datetime.datetime,
) -> Iterator[datetime.datetime]:
    """Slot starts (UTC) inside working hours, off no day off, after the notice, before the horizon.

    The horizon is the staff member's local date: today plus ``days_ahead`` days, inclusive.
    """
    today = now.astimezone(zone).date()
    earliest = now + rules.notice
    for offset in range(rules.days_ahead + 1):
        day = today + datetime.timedelta(days=offset)
        if any(first <= day <= last for first, last in days_off):
            continue
        for opens, closes in sorted(hours.get(day.weekday(), ())):
            start = datetime.datetime.combine(day, opens, tzinfo=zone).astimezone(UTC)
            end = datetime.datetime.combine(day, closes, tzinfo=zone).astimezone(UTC)
            slot = start
            while slot + rules.duration <= end:
                if slot >= earliest:
                    yield slot
                slot += rules.step


def is_free(slot: datetime.datetime, *, rules: SlotRules, busy: Sequence[Interval]) -> bool:
    """Whether the meeting keeps its buffers to every busy interval, and theirs to it.

    Every activity in the calendar is treated like a meeting of this page: free time
    ``buffer_after`` follows each one and ``buffer_before`` precedes each one, so between two
    meetings there is at least the larger of the two.
    """
    end = slot + rules.duration
    gap = max(rules.buffer_before, rules.buffer_after)
    return not any(
        busy_start < end + gap and busy_end > slot - gap for busy_start, busy_end in busy
    )


def free_slots(
    *,
    rules: SlotRules,
    zone: datetime.tzinfo,
    hours: DailyHours,
    days_off: Sequence[tuple[datetime.date, datetime.date]],
    busy: Sequence[Interval],
    now: datetime.datetime,
) -> list[datetime.datetime]:
    """Candidate slots that no busy interval overlaps, earliest first."""
    candidates = candidate_slots(rules=rules, zone=zone, hours=hours, days_off=days_off, now=now)
    return [slot for slot in candidates if is_free(slot, rules=rules, busy=busy)]


def group_by_local_day(
    slots: Sequence[datetime.datetime], zone: datetime.tzinfo
) -> dict[datetime.date, list[datetime.datetime]]:
    """Slots keyed by the date they fall on in ``zone`` (the customer's), in order."""
    days: dict[datetime.date, list[datetime.datetime]] = {}
    for slot in sorted(slots):
        local = slot.astimezone(zone)
        days.setdefault(local.date(), []).append(local)
    return days
