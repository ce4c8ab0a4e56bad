"""Reads for in-app notifications: always the viewer's own."""

from __future__ import annotations

from django.db.models import QuerySet

from hamkor.accounts.models import User
from hamkor.activities.models import Notification


def list_notifications(*, viewer: User, unread_only: bool = False) -> QuerySet[Notification]:
    """The viewer's notifications, newest first."""
    queryset = Notification.objects.filter(user=viewer)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.order_by("-created_at", "-id")


def count_unread_notifications(*, viewer: User) -> int:
    """How many of the viewer's notifications are unread (the bell's number)."""
    return Notification.objects.filter(user=viewer, read_at__isnull=True).count()


def get_notification(*, viewer: User, pk: int) -> Notification:
    """One of the viewer's notifications; raises Notification.DoesNotExist otherwise."""
    return Notification.objects.get(user=viewer, pk=pk)
