"""What the sales manager asks on Monday: meetings held and won, follow-ups given, per user."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from hamkor.accounts.models import User
from hamkor.activities.models import Activity, ActivityKind, ActivityOutcome
from hamkor.activities.selectors.activities import local_day_bounds, visible_activities


@dataclass
class FollowUpGiven:
    activity: Activity
    done_at: datetime.datetime
    # From the end of the activity it follows up (when there is one) to the follow-up.
    after: datetime.timedelta | None


@dataclass
class UserStats:
    user: User | None
    meetings_held: int = 0
    meetings_successful: int = 0
    follow_ups: list[FollowUpGiven] = field(default_factory=list)

    @property
    def follow_up_customers(self) -> int:
        return len({f.activity.contact_id for f in self.follow_ups if f.activity.contact_id})

    @property
    def average_follow_up_after(self) -> datetime.timedelta | None:
        delays = [f.after for f in self.follow_ups if f.after is not None]
        if not delays:
            return None
        return sum(delays, datetime.timedelta()) / len(delays)

    @property
    def average_follow_up_hours(self) -> float | None:
        after = self.average_follow_up_after
        return None if after is None else after.total_seconds() / 3600


@dataclass
class ActivityStats:
    start: datetime.date
    end: datetime.date  # exclusive
    users: list[UserStats]

    @property
    def meetings_held(self) -> int:
        return sum(u.meetings_held for u in self.users)

    @property
    def meetings_successful(self) -> int:
        return sum(u.meetings_successful for u in self.users)

    @property
    def follow_up_customers(self) -> int:
        contacts = {
            f.activity.contact_id for u in self.users for f in u.follow_ups if f.activity.contact_id
        }
        return len(contacts)


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday and the following Monday of the week containing ``day``."""
    start = day - datetime.timedelta(days=day.weekday())
    return start, start + datetime.timedelta(days=7)


def last_week() -> tuple[datetime.date, datetime.date]:
    """The previous Monday-to-Sunday week in the current time zone."""
    return week_of(timezone.localdate() - datetime.timedelta(days=7))


def get_activity_stats(*, viewer: User, start: datetime.date, end: datetime.date) -> ActivityStats:
    """Per owner, for activities done in [start, end) local days and visible to the viewer:
    meetings held and how many succeeded; follow-ups done, to which customers and when."""
    moment_start = local_day_bounds(start)[0]
    moment_end = local_day_bounds(end)[0]
    done = (
        visible_activities(viewer)
        .filter(
            done_at__gte=moment_start,
            done_at__lt=moment_end,
            kind__in=[ActivityKind.MEETING, ActivityKind.FOLLOW_UP],
        )
        .select_related("follow_up_of")
        .order_by("done_at", "id")
    )
    by_owner: dict[int | None, UserStats] = {}
    for activity in done:
        stats = by_owner.setdefault(activity.owner_id, UserStats(user=activity.owner))
        if activity.kind == ActivityKind.MEETING:
            stats.meetings_held += 1
            if activity.outcome == ActivityOutcome.SUCCESSFUL:
                stats.meetings_successful += 1
        elif activity.done_at is not None:
            origin = activity.follow_up_of
            after = None
            if origin is not None and origin.done_at is not None:
                after = activity.done_at - origin.done_at
            stats.follow_ups.append(
                FollowUpGiven(activity=activity, done_at=activity.done_at, after=after)
            )
    users = sorted(by_owner.values(), key=lambda s: str(s.user) if s.user else "")
    return ActivityStats(start=start, end=end, users=users)
