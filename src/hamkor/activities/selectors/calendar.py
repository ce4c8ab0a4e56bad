"""Reads for the calendar: day, week and month grids in the viewer's time zone; the feed."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from hamkor.accounts.models import Team, User
from hamkor.activities.models import Activity, CalendarFeed
from hamkor.activities.selectors.activities import (
    ActivityFilters,
    list_activities,
    local_day_bounds,
)
from hamkor.activities.services.calendar_feed import hash_feed_token

VIEWS = ("day", "week", "month")
# What a subscribed client gets: recent history and the year ahead.
FEED_PAST_DAYS = 90
FEED_FUTURE_DAYS = 366


@dataclass
class CalendarDay:
    date: datetime.date
    in_range: bool
    is_today: bool
    activities: list[Activity] = field(default_factory=list)


@dataclass
class CalendarGrid:
    view: str
    anchor: datetime.date
    start: datetime.date
    end: datetime.date  # exclusive
    previous: datetime.date
    following: datetime.date
    weeks: list[list[CalendarDay]]

    @property
    def days(self) -> list[CalendarDay]:
        return [day for week in self.weeks for day in week]


def _range(view: str, anchor: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The dates a view covers: [start, end)."""
    if view == "day":
        return anchor, anchor + datetime.timedelta(days=1)
    if view == "week":
        start = anchor - datetime.timedelta(days=anchor.weekday())
        return start, start + datetime.timedelta(days=7)
    first = anchor.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following


def _step(view: str, anchor: datetime.date, direction: int) -> datetime.date:
    if view == "day":
        return anchor + datetime.timedelta(days=direction)
    if view == "week":
        return anchor + datetime.timedelta(days=7 * direction)
    first = anchor.replace(day=1)
    if direction < 0:
        return (first - datetime.timedelta(days=1)).replace(day=1)
    return (first + datetime.timedelta(days=32)).replace(day=1)


def get_calendar(
    *,
    viewer: User,
    view: str,
    anchor: datetime.date,
    owner: User | None = None,
    team: Team | None = None,
) -> CalendarGrid:
    """Visible activities of one user or one team laid out by local day.

    Times are in the current time zone (the viewer's, set by the middleware); a month
    is padded to whole weeks starting on Monday.
    """
    view = view if view in VIEWS else "week"
    start, end = _range(view, anchor)
    shown_start, shown_end = start, end
    if view == "month":
        shown_start = start - datetime.timedelta(days=start.weekday())
        last = end - datetime.timedelta(days=1)
        shown_end = last + datetime.timedelta(days=7 - last.weekday())
    filters = ActivityFilters(
        owner_id=owner.pk if owner is not None else None,
        team_id=team.pk if team is not None else None,
        start=local_day_bounds(shown_start)[0],
        end=local_day_bounds(shown_end - datetime.timedelta(days=1))[1],
    )
    by_day: dict[datetime.date, list[Activity]] = defaultdict(list)
    for activity in list_activities(viewer=viewer, filters=filters):
        by_day[timezone.localtime(activity.due_at).date()].append(activity)
    today = timezone.localdate()
    days = []
    current = shown_start
    while current < shown_end:
        days.append(
            CalendarDay(
                date=current,
                in_range=start <= current < end,
                is_today=current == today,
                activities=by_day.get(current, []),
            )
        )
        current += datetime.timedelta(days=1)
    weeks = [days[i : i + 7] for i in range(0, len(days), 7)]
    return CalendarGrid(
        view=view,
        anchor=anchor,
        start=start,
        end=end,
        previous=_step(view, anchor, -1),
        following=_step(view, anchor, 1),
        weeks=weeks,
    )


def get_calendar_feed(*, user: User) -> CalendarFeed | None:
    """The user's feed, if one is issued."""
    return CalendarFeed.objects.filter(user=user).first()


def get_feed_by_token(*, token: str) -> CalendarFeed | None:
    """The feed of an active user with this token, or None for an unknown or revoked one."""
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_feed_token(token), user__is_active=True)
        .first()
    )


def list_feed_activities(*, user: User) -> QuerySet[Activity]:
    """The user's own activities from the recent past to a year ahead, for their feed."""
    now = timezone.now()
    return (
        Activity.objects.filter(
            owner=user,
            due_at__gte=now - datetime.timedelta(days=FEED_PAST_DAYS),
            due_at__lt=now + datetime.timedelta(days=FEED_FUTURE_DAYS),
        )
        .select_related("contact")
        .order_by("due_at", "id")
    )
