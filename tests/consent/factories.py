"""Consent history for tests, written through the service so the current state follows."""

import datetime

from django.utils import timezone

from hamkor.consent.models import ConsentRecord
from hamkor.consent.services import record_consent


def give(contact, channel="email", purpose="marketing", *, days_ago=0, **kwargs) -> ConsentRecord:
    """Record that the contact gave consent ``days_ago`` days ago."""
    return _record(contact, channel, purpose, True, days_ago, kwargs)


def withdraw(contact, channel="email", purpose="marketing", *, days_ago=0, **kwargs):
    """Record that the contact withdrew consent ``days_ago`` days ago."""
    return _record(contact, channel, purpose, False, days_ago, kwargs)


def _record(contact, channel, purpose, granted, days_ago, kwargs) -> ConsentRecord:
    values = {"method": "in_person", "actor": None, "text_shown": "May we send you offers?"}
    values.update(kwargs)
    return record_consent(
        contact=contact,
        channel=channel,
        purpose=purpose,
        granted=granted,
        recorded_at=timezone.now() - datetime.timedelta(days=days_ago),
        **values,
    )
