"""Free-slot arithmetic, with a fixed 'now' (the pure functions, no database)."""

import datetime
import zoneinfo

from hamkor.booking.slots import SlotRules, free_slots, group_by_local_day

TASHKENT = zoneinfo.ZoneInfo("Asia/Tashkent")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
MIN = datetime.timedelta(minutes=1)
# Monday 12 January 2026, 06:00 in Tashkent.
NOW = datetime.datetime(2026, 1, 12, 1, 0, tzinfo=datetime.UTC)
MONDAY = datetime.date(2026, 1, 12)


def _rules(**changes):
    values = {
        "duration": 30 * MIN,
        "step": 30 * MIN,
        "buffer_before": 0 * MIN,
        "buffer_after": 0 * MIN,
        "notice": 0 * MIN,
        "days_ahead": 0,
    }
    values.update(changes)
    return SlotRules(**values)


def _local(slots, zone=TASHKENT):
    return [slot.astimezone(zone).strftime("%a %H:%M") for slot in slots]


def _slots(rules=None, hours=None, days_off=(), busy=(), now=NOW):
    return free_slots(
        rules=rules or _rules(),
        zone=TASHKENT,
        hours=hours if hours is not None else {0: [(datetime.time(9), datetime.time(11))]},
        days_off=list(days_off),
        busy=list(busy),
        now=now,
    )


def _at(hour, minute=0, day=MONDAY):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TASHKENT)


def test_free_slots_fill_working_hours_with_meetings_that_fit():
    slots = _slots(rules=_rules(duration=45 * MIN))

    # 10:30 would end at 11:15, after closing.
    assert _local(slots) == ["Mon 09:00", "Mon 09:30", "Mon 10:00"]


def test_free_slots_use_every_interval_of_a_day():
    hours = {0: [(datetime.time(9), datetime.time(10)), (datetime.time(14), datetime.time(15))]}

    slots = _slots(hours=hours)

    assert _local(slots) == ["Mon 09:00", "Mon 09:30", "Mon 14:00", "Mon 14:30"]


def test_free_slots_respect_minimum_notice():
    now = _at(8, 50).astimezone(datetime.UTC)

    slots = _slots(rules=_rules(notice=60 * MIN), now=now)

    assert _local(slots) == ["Mon 10:00", "Mon 10:30"]


def test_free_slots_stop_at_the_horizon():
    hours = {day: [(datetime.time(9), datetime.time(9, 30))] for day in range(7)}

    slots = _slots(rules=_rules(days_ahead=2), hours=hours)

    assert _local(slots) == ["Mon 09:00", "Tue 09:00", "Wed 09:00"]


def test_free_slots_skip_days_off():
    hours = {day: [(datetime.time(9), datetime.time(9, 30))] for day in range(7)}
    tuesday = MONDAY + datetime.timedelta(days=1)
    wednesday = MONDAY + datetime.timedelta(days=2)

    slots = _slots(rules=_rules(days_ahead=3), hours=hours, days_off=[(tuesday, wednesday)])

    assert _local(slots) == ["Mon 09:00", "Thu 09:00"]


def test_free_slots_leave_out_times_overlapping_activities():
    busy = [(_at(9, 15), _at(9, 45))]

    slots = _slots(busy=busy)

    assert _local(slots) == ["Mon 10:00", "Mon 10:30"]


def test_free_slots_keep_buffers_around_activities():
    busy = [(_at(10), _at(10, 30))]

    slots = _slots(rules=_rules(buffer_before=15 * MIN, buffer_after=15 * MIN), busy=busy)

    # 09:30 ends at 10:00 and needs 15 minutes after; 10:30 needs 15 minutes before.
    assert _local(slots) == ["Mon 09:00"]


def test_free_slots_allow_a_meeting_right_after_one_without_buffers():
    busy = [(_at(9), _at(9, 30))]

    slots = _slots(busy=busy)

    assert _local(slots) == ["Mon 09:30", "Mon 10:00", "Mon 10:30"]


def test_free_slots_of_tashkent_staff_show_the_evening_before_in_new_york():
    slots = _slots(hours={0: [(datetime.time(9), datetime.time(10))]})

    days = group_by_local_day(slots, NEW_YORK)

    # 09:00 in Tashkent (UTC+5) is 04:00 UTC, 23:00 on Sunday in New York (UTC-5 in January).
    sunday = MONDAY - datetime.timedelta(days=1)
    assert list(days) == [sunday]
    assert [slot.strftime("%H:%M") for slot in days[sunday]] == ["23:00", "23:30"]


def test_free_slots_in_a_daylight_saving_zone_keep_wall_clock_hours():
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    # Sunday 29 March 2026: clocks go from 02:00 to 03:00 in Berlin.
    saturday = datetime.datetime(2026, 3, 28, 6, 0, tzinfo=datetime.UTC)
    hours = {day: [(datetime.time(9), datetime.time(10))] for day in range(7)}

    slots = free_slots(
        rules=_rules(days_ahead=2),
        zone=berlin,
        hours=hours,
        days_off=[],
        busy=[],
        now=saturday,
    )

    assert [slot.astimezone(berlin).strftime("%a %H:%M") for slot in slots] == [
        "Sat 09:00",
        "Sat 09:30",
        "Sun 09:00",
        "Sun 09:30",
        "Mon 09:00",
        "Mon 09:30",
    ]
    assert [slot.strftime("%H:%M") for slot in slots[::2]] == ["08:00", "07:00", "07:00"]
