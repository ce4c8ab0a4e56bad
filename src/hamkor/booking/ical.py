"""A booking as an iCalendar (RFC 5545) file the customer adds to their own calendar."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from hamkor.booking.models import Booking


def booking_calendar(booking: Booking) -> bytes:
    """One VEVENT in UTC; a cancelled booking comes out as STATUS:CANCELLED."""
    calendar = Calendar()
    calendar.add("prodid", "-//Hamkor//Booking//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    page = booking.page
    staff = page.schedule.user
    organisation = getattr(settings, "HAMKOR_ORGANISATION_NAME", "Hamkor")
    event = Event()
    event.add("uid", f"booking-{booking.uuid}@hamkor")
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", booking.starts_at.astimezone(datetime.UTC))
    event.add("dtend", booking.ends_at.astimezone(datetime.UTC))
    event.add("summary", f"{page.title} · {organisation}")
    if page.location:
        event.add("location", page.location)
    event.add("description", staff.get_full_name() or staff.get_username())
    event.add("status", "CANCELLED" if booking.is_cancelled else "CONFIRMED")
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
