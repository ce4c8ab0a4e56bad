"""Writes for in-app notifications: write them for other apps, mark read."""

from __future__ import annotations

from collections.abc import Sequence

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


def notify_users(
    *,
    users: Sequence[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str,
) -> None:
    """Ring the bell of each user once per ``dedupe_key`` (for apps that notify people).

    The key gets ``:<user id>`` appended, so calling twice for the same event adds nothing.
    """
    now = timezone.now()
    rows = [
        Notification(
            user=user,
            kind=kind[:32],
            title=title[:255],
            body=body,
            url=url[:500],
            dedupe_key=f"{dedupe_key}:{user.pk}"[:120],
            created_at=now,
        )
        for user in users
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
