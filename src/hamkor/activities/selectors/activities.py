"""Reads for planned activities, scoped by the one visibility rule (contacts.selectors.visible)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from hamkor.accounts.models import User
from hamkor.activities.models import Activity
from hamkor.contacts.selectors import visible

RELATED = ("owner", "team", "contact", "company", "deal")


def visible_activities(viewer: User) -> QuerySet[Activity]:
    """Every activity the viewer may see: own, the team's, or all for managers."""
    return visible(Activity.objects.all(), viewer).select_related(*RELATED)


@dataclass(frozen=True)
class ActivityFilters:
    owner_id: int | None = None
    team_id: int | None = None
    contact_id: int | None = None
    company_id: int | None = None
    deal_id: int | None = None
    kind: str = ""
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    open_only: bool = False


def list_activities(*, viewer: User, filters: ActivityFilters | None = None) -> QuerySet[Activity]:
    """Visible activities, filtered, earliest due first; start/end bound the due time."""
    filters = filters or ActivityFilters()
    queryset = visible_activities(viewer)
    for name in ("owner_id", "team_id", "contact_id", "company_id", "deal_id"):
        value = getattr(filters, name)
        if value is not None:
            queryset = queryset.filter(**{name: value})
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.start is not None:
        queryset = queryset.filter(due_at__gte=filters.start)
    if filters.end is not None:
        queryset = queryset.filter(due_at__lt=filters.end)
    if filters.open_only:
        queryset = queryset.filter(done_at__isnull=True)
    return queryset.order_by("due_at", "id")


def get_activity(*, viewer: User, pk: int) -> Activity:
    """One activity; raises Activity.DoesNotExist when it is not visible."""
    return visible_activities(viewer).get(pk=pk)


def list_overdue(*, viewer: User, owner_id: int | None = None) -> QuerySet[Activity]:
    """Open activities past their due time, oldest first."""
    queryset = visible_activities(viewer).filter(done_at__isnull=True, due_at__lt=timezone.now())
    if owner_id is not None:
        queryset = queryset.filter(owner_id=owner_id)
    return queryset.order_by("due_at", "id")


def local_day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """Start and end of a calendar day in the current (viewer's) time zone."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


def list_my_day(*, viewer: User, day: datetime.date | None = None) -> list[Activity]:
    """The viewer's own activities due on a day (today by default), done or not."""
    day = day or timezone.localdate()
    start, end = local_day_bounds(day)
    return list(
        list_activities(
            viewer=viewer, filters=ActivityFilters(owner_id=viewer.pk, start=start, end=end)
        )
    )


def list_open_for_contact(*, viewer: User, contact_id: int, limit: int = 10) -> list[Activity]:
    """A contact's open activities the viewer may see, soonest first."""
    queryset = visible_activities(viewer).filter(contact_id=contact_id, done_at__isnull=True)
    return list(queryset.order_by("due_at", "id")[:limit])
