"""Writes for in-app notifications: mark read."""

from __future__ import annotations

from django.utils import timezone

from hamkor.accounts.models import User
from hamkor.activities.models import Notification


def mark_notification_read(*, notification: Notification) -> Notification:
    """Mark one notification read (no-op when it already is)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_notifications_read(*, user: User) -> int:
    """Mark all of the user's notifications read; returns how many changed."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
