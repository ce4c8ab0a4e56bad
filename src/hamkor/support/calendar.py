"""Working-time arithmetic for SLA clocks: weekly opening hours in one time zone, minus holidays.

``add_working_minutes`` and ``working_minutes_between`` are pure: they take the week and the
holidays as arguments. ``organisation_week`` and ``due_after`` read them from the database
(the support app's ``WorkingCalendar`` row and the projects app's ``Holiday`` list, which
is the organisation's one list of days off).
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from django.conf import settings

# Monday to Friday, 09:00-18:00, when nobody has set the calendar up.
DEFAULT_HOURS: dict[str, list[str]] = {str(day): ["09:00", "18:00"] for day in range(5)}
# Looking further than this for a working minute means the week has none.
MAX_DAYS = 3660


@dataclass(frozen=True)
class WorkWeek:
    """Opening hours per weekday (0 = Monday) in ``zone``; a day not listed is off."""

    zone: zoneinfo.ZoneInfo
    hours: Mapping[int, tuple[datetime.time, datetime.time]] = field(default_factory=dict)

    @classmethod
    def from_config(cls, *, time_zone: str, hours: Mapping[str, list[str]]) -> WorkWeek:
        """Build from the stored form: {"0": ["09:00", "18:00"], ...}; bad rows are skipped."""
        parsed: dict[int, tuple[datetime.time, datetime.time]] = {}
        for day, span in hours.items():
            try:
                opens = datetime.time.fromisoformat(span[0])
                closes = datetime.time.fromisoformat(span[1])
                weekday = int(day)
            except (TypeError, ValueError, IndexError):
                continue
            if 0 <= weekday <= 6 and opens < closes:
                parsed[weekday] = (opens, closes)
        return cls(zone=zoneinfo.ZoneInfo(time_zone), hours=parsed)

    def window(
        self, day: datetime.date, holidays: Collection[datetime.date]
    ) -> tuple[datetime.datetime, datetime.datetime] | None:
        """The day's working span as aware datetimes, or None on a day off."""
        span = self.hours.get(day.weekday())
        if span is None or day in holidays:
            return None
        opens = datetime.datetime.combine(day, span[0], tzinfo=self.zone)
        closes = datetime.datetime.combine(day, span[1], tzinfo=self.zone)
        return opens, closes


def add_working_minutes(
    start: datetime.datetime,
    minutes: int,
    *,
    week: WorkWeek,
    holidays: Collection[datetime.date] = (),
) -> datetime.datetime:
    """The moment ``minutes`` working minutes after ``start`` (aware, in UTC).

    Time outside opening hours, on days off and on holidays does not count; a start outside
    hours counts from the next opening, and 0 minutes gives that opening. A target that ends
    exactly at closing time is due at closing time, not the next morning.
    """
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    left = datetime.timedelta(minutes=minutes)
    local = start.astimezone(week.zone)
    day = local.date()
    for _step in range(MAX_DAYS):
        span = week.window(day, holidays)
        if span is not None:
            opens, closes = span
            cursor = max(local, opens)
            if cursor < closes or (cursor == closes and not left):
                available = closes - cursor
                if left <= available:
                    return (cursor.astimezone(datetime.UTC) + left).astimezone(datetime.UTC)
                left -= available
        day += datetime.timedelta(days=1)
    raise ValueError("the working week has no working hours")


def working_minutes_between(
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    week: WorkWeek,
    holidays: Collection[datetime.date] = (),
) -> int:
    """Whole working minutes from ``start`` to ``end`` (0 when end is not after start)."""
    if end <= start:
        return 0
    local_start, local_end = start.astimezone(week.zone), end.astimezone(week.zone)
    total = datetime.timedelta()
    day = local_start.date()
    while day <= local_end.date():
        span = week.window(day, holidays)
        if span is not None:
            lower, upper = max(span[0], local_start), min(span[1], local_end)
            if upper > lower:
                total += upper - lower
        day += datetime.timedelta(days=1)
    return int(total.total_seconds() // 60)


def organisation_week() -> WorkWeek:
    """The stored working week, or Mon-Fri 09:00-18:00 in ``TIME_ZONE`` when none is set."""
    from hamkor.support.models import WorkingCalendar

    calendar = WorkingCalendar.objects.order_by("pk").first()
    if calendar is None:
        return WorkWeek.from_config(time_zone=default_time_zone(), hours=DEFAULT_HOURS)
    return WorkWeek.from_config(time_zone=calendar.time_zone, hours=calendar.hours or {})


def default_time_zone() -> str:
    return str(getattr(settings, "TIME_ZONE", "") or "Asia/Tashkent")


def holidays_from(start: datetime.datetime, *, days: int) -> set[datetime.date]:
    """Organisation holidays from start's date for ``days`` days (one query)."""
    from hamkor.projects.workdays import holidays_between

    first = start.date() - datetime.timedelta(days=1)
    return holidays_between(first, first + datetime.timedelta(days=days + 2))


def weekly_minutes(week: WorkWeek) -> int:
    total = 0
    for opens, closes in week.hours.values():
        total += (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)
    return total


def due_after(
    start: datetime.datetime, minutes: int, *, week: WorkWeek | None = None
) -> datetime.datetime:
    """``add_working_minutes`` with the organisation's week and holidays."""
    week = week or organisation_week()
    per_week = max(weekly_minutes(week), 1)
    # Enough calendar days for the target, plus two months of holidays as slack.
    days = (minutes // per_week + 1) * 7 + 62
    return add_working_minutes(start, minutes, week=week, holidays=holidays_from(start, days=days))


def minutes_between(start: datetime.datetime, end: datetime.datetime) -> int:
    """``working_minutes_between`` with the organisation's week and holidays."""
    week = organisation_week()
    days = (end.date() - start.date()).days + 1
    return working_minutes_between(
        start, end, week=week, holidays=holidays_from(start, days=max(days, 1))
    )
