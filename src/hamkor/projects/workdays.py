"""Working-day arithmetic: weekends (Saturday, Sunday) and ``Holiday`` rows are days off."""

from __future__ import annotations

import datetime
from collections.abc import Collection

from hamkor.projects.models import Holiday

SATURDAY = 5


def holidays_between(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """The holidays from ``start`` to ``end`` inclusive, in one query."""
    return set(
        Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True)
    )


def is_working_day(day: datetime.date, holidays: Collection[datetime.date] = ()) -> bool:
    """Monday to Friday and not a holiday."""
    return day.weekday() < SATURDAY and day not in holidays


def add_working_days(
    start: datetime.date, days: int, holidays: set[datetime.date] | None = None
) -> datetime.date:
    """The day ``days`` working days after ``start``; 0 gives ``start`` or the next working day.

    Without ``holidays`` they are read from the database for a window wide enough to hold
    the answer (each week has at least one working day unless a whole week is a holiday).
    """
    if holidays is None:
        # Generous window: 2 calendar days per working day plus a month of slack.
        holidays = holidays_between(start, start + datetime.timedelta(days=days * 2 + 31))
    day = start
    while not is_working_day(day, holidays):
        day += datetime.timedelta(days=1)
    left = days
    while left > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day
