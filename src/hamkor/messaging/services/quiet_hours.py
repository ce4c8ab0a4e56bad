"""When a customer may be messaged: allowed hours in the customer's own time zone."""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from hamkor.contacts.models import Contact


def parse_window(text: str) -> tuple[datetime.time, datetime.time]:
    """Parse "09:00-20:00" into (start, end); raises ValueError on anything else."""
    start_text, _, end_text = text.partition("-")
    start = datetime.time.fromisoformat(start_text.strip())
    end = datetime.time.fromisoformat(end_text.strip())
    return start, end


def organisation_window() -> tuple[datetime.time, datetime.time]:
    try:
        return parse_window(settings.HAMKOR_QUIET_HOURS)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"HAMKOR_QUIET_HOURS={settings.HAMKOR_QUIET_HOURS!r} is not like 09:00-20:00."
        ) from error


def contact_window(contact: Contact) -> tuple[datetime.time, datetime.time]:
    """The contact's own allowed hours when both ends are set, else the organisation's."""
    prefs = getattr(contact, "messaging_prefs", None)
    if prefs is not None and prefs.allowed_from and prefs.allowed_until:
        return prefs.allowed_from, prefs.allowed_until
    return organisation_window()


def contact_zone(contact: Contact) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(contact.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def next_allowed_time(
    moment: datetime.datetime,
    *,
    zone: zoneinfo.ZoneInfo,
    window: tuple[datetime.time, datetime.time],
) -> datetime.datetime:
    """``moment`` if it falls inside the window in ``zone``, else the window's next start.

    A window whose start is after its end runs over midnight (e.g. 20:00-02:00); equal
    ends mean "any time".
    """
    start, end = window
    if start == end:
        return moment
    local = moment.astimezone(zone)
    now = local.time().replace(tzinfo=None)
    if start < end:
        inside = start <= now < end
        day = local.date() if now < start else local.date() + datetime.timedelta(days=1)
    else:
        inside = now >= start or now < end
        day = local.date()
    if inside:
        return moment
    opening = datetime.datetime.combine(day, start, tzinfo=zone)
    return opening.astimezone(datetime.UTC)


def next_allowed_time_for(contact: Contact, moment: datetime.datetime) -> datetime.datetime:
    """The first moment at or after ``moment`` when this contact may get a message."""
    return next_allowed_time(moment, zone=contact_zone(contact), window=contact_window(contact))
