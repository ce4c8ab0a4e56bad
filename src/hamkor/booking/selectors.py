"""Reads of the booking app: pages, free slots, bookings (scoped to the viewer)."""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict

from django.core import signing
from django.db.models import QuerySet
from django.utils import timezone

from hamkor.accounts.models import User
from hamkor.activities.selectors.activities import ActivityFilters, list_activities
from hamkor.booking.models import Booking, BookingPage, BookingStatus, Schedule
from hamkor.booking.slots import DailyHours, Interval, SlotRules, free_slots
from hamkor.contacts.selectors import visible

# An activity lasts at most this long (activities' check constraint), so one that started
# this long before a window cannot reach into it.
LONGEST_ACTIVITY = datetime.timedelta(days=31)
CANCEL_SALT = "hamkor.booking.cancel"


def may_edit_schedule(*, viewer: User, schedule: Schedule) -> bool:
    """The staff member themself, managers and admins."""
    return viewer.pk == schedule.user_id or viewer.sees_everything


def get_schedule(*, viewer: User, user_id: int) -> Schedule:
    """The schedule of a staff member the viewer may edit; Schedule.DoesNotExist otherwise."""
    schedule = Schedule.objects.select_related("user").get(user_id=user_id)
    if not may_edit_schedule(viewer=viewer, schedule=schedule):
        raise Schedule.DoesNotExist
    return schedule


def list_schedule_pages(*, schedule: Schedule) -> QuerySet[BookingPage]:
    """The staff member's booking pages, by title."""
    return schedule.pages.order_by("title", "id")


def list_pages(*, viewer: User) -> QuerySet[BookingPage]:
    """Booking pages the viewer may manage: their own, or every one for managers and admins."""
    queryset = BookingPage.objects.select_related("schedule__user")
    if not viewer.sees_everything:
        queryset = queryset.filter(schedule__user=viewer)
    return queryset.order_by("title", "id")


def get_page(*, viewer: User, pk: int) -> BookingPage:
    """A page the viewer may edit; BookingPage.DoesNotExist otherwise."""
    return list_pages(viewer=viewer).get(pk=pk)


def get_published_page(*, slug: str) -> BookingPage:
    """A page customers may book; BookingPage.DoesNotExist when unpublished or unknown."""
    return BookingPage.objects.select_related("schedule__user").get(slug=slug, is_published=True)


def page_rules(page: BookingPage) -> SlotRules:
    """The page's settings as slot-arithmetic rules."""
    minutes = datetime.timedelta(minutes=1)
    return SlotRules(
        duration=page.duration_minutes * minutes,
        step=page.slot_step_minutes * minutes,
        buffer_before=page.buffer_before_minutes * minutes,
        buffer_after=page.buffer_after_minutes * minutes,
        notice=page.min_notice_minutes * minutes,
        days_ahead=page.days_ahead,
    )


def staff_zone(schedule: Schedule) -> zoneinfo.ZoneInfo:
    """The zone the staff member's working hours are in."""
    try:
        return zoneinfo.ZoneInfo(schedule.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def get_daily_hours(*, schedule: Schedule) -> DailyHours:
    """Working intervals by weekday (0 = Monday)."""
    hours: dict[int, list[tuple[datetime.time, datetime.time]]] = defaultdict(list)
    for row in schedule.hours.order_by("weekday", "starts_at"):
        hours[row.weekday].append((row.starts_at, row.ends_at))
    return dict(hours)


def list_days_off(*, schedule: Schedule) -> list[tuple[datetime.date, datetime.date]]:
    """Day-off ranges of the schedule, inclusive."""
    return list(schedule.days_off.order_by("starts_on").values_list("starts_on", "ends_on"))


def list_busy(
    *, schedule: Schedule, start: datetime.datetime, end: datetime.datetime
) -> list[Interval]:
    """The staff member's activities (bookings included) that overlap [start, end)."""
    user = schedule.user
    activities = list_activities(
        viewer=user,
        filters=ActivityFilters(owner_id=user.pk, start=start - LONGEST_ACTIVITY, end=end),
    ).values_list("due_at", "duration_minutes")
    intervals = [
        (due_at, due_at + datetime.timedelta(minutes=minutes)) for due_at, minutes in activities
    ]
    return [(first, last) for first, last in intervals if last > start]


def list_free_slots(
    *, page: BookingPage, now: datetime.datetime | None = None
) -> list[datetime.datetime]:
    """Starts (UTC) a customer may book on the page right now, earliest first."""
    now = now or timezone.now()
    rules = page_rules(page)
    schedule = page.schedule
    horizon_end = now + datetime.timedelta(days=page.days_ahead + 2)
    gap = max(rules.buffer_before, rules.buffer_after)
    return free_slots(
        rules=rules,
        zone=staff_zone(schedule),
        hours=get_daily_hours(schedule=schedule),
        days_off=list_days_off(schedule=schedule),
        busy=list_busy(schedule=schedule, start=now - gap, end=horizon_end + gap),
        now=now,
    )


def visible_bookings(viewer: User) -> QuerySet[Booking]:
    """Bookings of the viewer, their team, or everyone's for managers and admins."""
    return visible(Booking.objects.all(), viewer).select_related("page", "contact", "owner")


def list_bookings(
    *,
    viewer: User,
    start: datetime.datetime | None = None,
    status: str = BookingStatus.CONFIRMED,
    owner_id: int | None = None,
) -> QuerySet[Booking]:
    """Visible bookings starting at or after ``start`` (now by default), soonest first."""
    queryset = visible_bookings(viewer).filter(starts_at__gte=start or timezone.now())
    if status:
        queryset = queryset.filter(status=status)
    if owner_id is not None:
        queryset = queryset.filter(owner_id=owner_id)
    return queryset.order_by("starts_at", "id")


def get_booking(*, viewer: User, pk: int) -> Booking:
    """One visible booking; Booking.DoesNotExist otherwise."""
    return visible_bookings(viewer).get(pk=pk)


def booking_token(booking: Booking) -> str:
    """The signed token of the customer's links (view, cancel, calendar file)."""
    return signing.dumps(str(booking.uuid), salt=CANCEL_SALT)


def get_booking_by_token(*, token: str) -> Booking:
    """The booking a customer's link names; Booking.DoesNotExist for a forged or broken one."""
    try:
        value = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        raise Booking.DoesNotExist from None
    return Booking.objects.select_related("page__schedule__user", "contact").get(uuid=value)
