"""Writes for a staff member's availability: weekly hours, days off, booking pages."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.booking.models import BookingPage, DayOff, Schedule, Weekday, WorkingHours
from hamkor.core.audit import record_event

PAGE_FIELDS = (
    "slug",
    "title",
    "description",
    "meeting_type",
    "location",
    "duration_minutes",
    "slot_step_minutes",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "min_notice_minutes",
    "days_ahead",
    "is_published",
)


def ensure_schedule(*, user: User) -> Schedule:
    """The staff member's schedule, created empty on first use."""
    schedule, _created = Schedule.objects.get_or_create(user=user)
    return schedule


def _check_day(weekday: int, intervals: Sequence[tuple[datetime.time, datetime.time]]) -> None:
    label = Weekday(weekday).label
    previous_end: datetime.time | None = None
    for opens, closes in sorted(intervals):
        if opens >= closes:
            raise ValidationError(
                {
                    f"day_{weekday}": _(
                        "%(day)s: %(start)s–%(end)s ends before it starts; overnight hours "
                        "are two intervals on two days."
                    )
                    % {"day": label, "start": f"{opens:%H:%M}", "end": f"{closes:%H:%M}"}
                }
            )
        if previous_end is not None and opens < previous_end:
            raise ValidationError(
                {f"day_{weekday}": _("%(day)s: the intervals overlap.") % {"day": label}}
            )
        previous_end = closes


@transaction.atomic
def set_working_hours(
    *,
    schedule: Schedule,
    actor: User,
    hours: Mapping[int, Sequence[tuple[datetime.time, datetime.time]]],
) -> Schedule:
    """Replace the weekly hours; a weekday left out is not worked. Nothing saved on an error."""
    errors: dict[str, Any] = {}
    for weekday, intervals in hours.items():
        if weekday not in Weekday.values:
            raise ValidationError(_("Weekdays are numbered 0 (Monday) to 6 (Sunday)."))
        try:
            _check_day(weekday, intervals)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    schedule.hours.all().delete()
    WorkingHours.objects.bulk_create(
        WorkingHours(schedule=schedule, weekday=weekday, starts_at=opens, ends_at=closes)
        for weekday, intervals in sorted(hours.items())
        for opens, closes in sorted(intervals)
    )
    schedule.save(update_fields=["updated_at"])
    record_event(
        actor=actor,
        verb="booking.hours_changed",
        target=schedule,
        data={
            str(weekday): [f"{a:%H:%M}-{b:%H:%M}" for a, b in sorted(intervals)]
            for weekday, intervals in sorted(hours.items())
        },
    )
    return schedule


@transaction.atomic
def add_day_off(
    *,
    schedule: Schedule,
    actor: User,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    note: str = "",
) -> DayOff:
    """Close the schedule from one date to another (inclusive)."""
    day_off = DayOff(
        schedule=schedule, starts_on=starts_on, ends_on=ends_on or starts_on, note=note
    )
    if day_off.ends_on < day_off.starts_on:
        raise ValidationError({"ends_on": _("The last day off comes before the first one.")})
    day_off.full_clean()
    day_off.save()
    record_event(
        actor=actor,
        verb="booking.day_off_added",
        target=schedule,
        data={"from": starts_on.isoformat(), "until": day_off.ends_on.isoformat()},
    )
    return day_off


@transaction.atomic
def remove_day_off(*, day_off: DayOff, actor: User) -> None:
    """Open the days again."""
    record_event(
        actor=actor,
        verb="booking.day_off_removed",
        target=day_off.schedule,
        data={"from": day_off.starts_on.isoformat(), "until": day_off.ends_on.isoformat()},
    )
    day_off.delete()


@transaction.atomic
def save_booking_page(
    *,
    schedule: Schedule,
    actor: User,
    values: Mapping[str, Any],
    page: BookingPage | None = None,
) -> BookingPage:
    """Create a booking page for the schedule, or change one of its pages."""
    unknown = set(values) - set(PAGE_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    created = page is None
    page = page or BookingPage(schedule=schedule)
    for name, value in values.items():
        setattr(page, name, value)
    if page.slug:
        page.slug = page.slug.strip().lower()
    page.full_clean()
    page.save()
    record_event(
        actor=actor,
        verb="booking.page_created" if created else "booking.page_updated",
        target=page,
        data={"fields": sorted(values)},
    )
    return page
