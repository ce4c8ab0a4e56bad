"""Writes for the per-user iCalendar feed: issue a new secret address, revoke it."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from hamkor.accounts.models import User
from hamkor.activities.models import CalendarFeed
from hamkor.core.audit import record_event


def hash_feed_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def regenerate_calendar_feed(*, user: User) -> str:
    """Give the user a new secret feed token (returned once); the old address stops working."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": hash_feed_token(token), "last_used_at": None}
    )
    record_event(actor=user, verb="calendar_feed.regenerated", target=user)
    return token


@transaction.atomic
def revoke_calendar_feed(*, user: User) -> None:
    """Turn the user's feed address off."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    if deleted:
        record_event(actor=user, verb="calendar_feed.revoked", target=user)


def note_feed_used(*, feed: CalendarFeed) -> None:
    """Remember when a client last fetched the feed, at most hourly (clients poll often)."""
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > datetime.timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
