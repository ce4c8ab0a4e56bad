"""Activities as an iCalendar (RFC 5545) document that calendar clients can subscribe to."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from hamkor.activities.models import Activity


def activity_uid(activity: Activity) -> str:
    """Stable across exports, so clients update an event instead of duplicating it."""
    return f"activity-{activity.pk}@hamkor"


def build_calendar(activities: Iterable[Activity], *, name: str) -> bytes:
    """One VEVENT per activity, times in UTC."""
    calendar = Calendar()
    calendar.add("prodid", "-//Hamkor//Activities//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(datetime.UTC)
    for activity in activities:
        event = Event()
        event.add("uid", activity_uid(activity))
        event.add("dtstamp", stamp)
        event.add("dtstart", activity.due_at.astimezone(datetime.UTC))
        event.add("dtend", activity.ends_at.astimezone(datetime.UTC))
        event.add("summary", f"{activity.get_kind_display()}: {activity.subject}")
        if activity.location:
            event.add("location", activity.location)
        description = [activity.note] if activity.note else []
        if activity.contact_id:
            description.insert(0, str(activity.contact))
        if description:
            event.add("description", "\n".join(description))
        event.add("status", "CONFIRMED")
        if activity.updated_at:
            event.add("last-modified", activity.updated_at.astimezone(datetime.UTC))
        calendar.add_component(event)
    organisation = getattr(settings, "HAMKOR_ORGANISATION_NAME", "Hamkor")
    calendar.add("x-wr-caldesc", organisation)
    ical: bytes = calendar.to_ical()
    return ical
