"""The SLA clock: working minutes across nights, weekends and holidays."""

import datetime
import zoneinfo

import pytest

from hamkor.support.calendar import (
    DEFAULT_HOURS,
    WorkWeek,
    add_working_minutes,
    due_after,
    working_minutes_between,
)
from hamkor.support.models import WorkingCalendar

TASHKENT = zoneinfo.ZoneInfo("Asia/Tashkent")
WEEK = WorkWeek.from_config(time_zone="Asia/Tashkent", hours=DEFAULT_HOURS)
# 2026-03-02 is a Monday.
MONDAY = datetime.date(2026, 3, 2)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TASHKENT)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def test_add_working_minutes_within_one_day():
    assert add_working_minutes(at(MONDAY, 10), 90, week=WEEK) == at(MONDAY, 11, 30)


def test_add_working_minutes_returns_utc():
    due = add_working_minutes(at(MONDAY, 10), 60, week=WEEK)

    assert due.utcoffset() == datetime.timedelta(0)
    assert due == datetime.datetime(2026, 3, 2, 6, 0, tzinfo=datetime.UTC)


def test_add_working_minutes_ending_at_closing_time_stays_that_day():
    assert add_working_minutes(at(MONDAY, 17), 60, week=WEEK) == at(MONDAY, 18)


def test_add_working_minutes_carries_over_the_night():
    assert add_working_minutes(at(MONDAY, 17), 120, week=WEEK) == at(MONDAY + days(1), 10)


def test_add_working_minutes_from_before_opening_counts_from_opening():
    assert add_working_minutes(at(MONDAY, 6, 30), 30, week=WEEK) == at(MONDAY, 9, 30)


def test_add_working_minutes_from_after_closing_counts_from_next_morning():
    assert add_working_minutes(at(MONDAY, 21), 30, week=WEEK) == at(MONDAY + days(1), 9, 30)


def test_add_zero_minutes_outside_hours_gives_the_next_opening():
    friday_night = at(MONDAY + days(4), 19)

    assert add_working_minutes(friday_night, 0, week=WEEK) == at(MONDAY + days(7), 9)


def test_add_working_minutes_skips_the_weekend():
    friday = MONDAY + days(4)

    assert add_working_minutes(at(friday, 17), 120, week=WEEK) == at(MONDAY + days(7), 10)


def test_add_working_minutes_from_a_sunday_starts_on_monday():
    sunday = MONDAY + days(6)

    assert add_working_minutes(at(sunday, 12), 60, week=WEEK) == at(MONDAY + days(7), 10)


def test_add_working_minutes_skips_a_holiday():
    tuesday = MONDAY + days(1)

    due = add_working_minutes(at(MONDAY, 17), 120, week=WEEK, holidays={tuesday})

    assert due == at(MONDAY + days(2), 10)


def test_add_working_minutes_across_a_holiday_and_a_weekend():
    friday = MONDAY + days(4)
    next_monday = MONDAY + days(7)

    due = add_working_minutes(at(friday, 17), 90, week=WEEK, holidays={next_monday})

    assert due == at(next_monday + days(1), 9, 30)


def test_add_working_minutes_over_several_days():
    # Two full working days (2 x 9 h) from Monday 09:00 end Tuesday 18:00.
    assert add_working_minutes(at(MONDAY, 9), 18 * 60, week=WEEK) == at(MONDAY + days(1), 18)


def test_add_working_minutes_uses_the_calendar_time_zone():
    start_utc = datetime.datetime(2026, 3, 2, 3, 0, tzinfo=datetime.UTC)  # 08:00 in Tashkent

    assert add_working_minutes(start_utc, 15, week=WEEK) == at(MONDAY, 9, 15)


def test_add_working_minutes_with_a_split_week():
    week = WorkWeek.from_config(
        time_zone="Asia/Bishkek", hours={"5": ["10:00", "14:00"]}
    )  # Saturdays only
    bishkek = zoneinfo.ZoneInfo("Asia/Bishkek")
    saturday = MONDAY + days(5)
    start = datetime.datetime.combine(saturday, datetime.time(13), tzinfo=bishkek)

    due = add_working_minutes(start, 120, week=week)

    assert due == datetime.datetime.combine(saturday + days(7), datetime.time(11), tzinfo=bishkek)


def test_add_working_minutes_refuses_a_week_without_hours():
    with pytest.raises(ValueError, match="no working hours"):
        add_working_minutes(at(MONDAY, 9), 10, week=WorkWeek(zone=TASHKENT))


def test_working_minutes_between_counts_only_open_time():
    friday = MONDAY + days(4)

    minutes = working_minutes_between(at(friday, 17), at(MONDAY + days(7), 10), week=WEEK)

    assert minutes == 120


def test_working_minutes_between_skips_holidays_and_is_zero_backwards():
    assert working_minutes_between(at(MONDAY, 9), at(MONDAY, 18), week=WEEK, holidays={MONDAY}) == 0
    assert working_minutes_between(at(MONDAY, 12), at(MONDAY, 10), week=WEEK) == 0


def test_due_after_reads_the_stored_calendar_and_holidays(db):
    from hamkor.projects.models import Holiday

    WorkingCalendar.objects.create(time_zone="Asia/Tashkent", hours={"0": ["09:00", "13:00"]})
    Holiday.objects.create(date=MONDAY + days(7), name="Navruz")

    due = due_after(at(MONDAY, 12), 120)

    # One hour on this Monday, next Monday is a holiday, one hour on the Monday after.
    assert due == at(MONDAY + days(14), 10)
