"""The bell: unread count, the notification list, marking read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from hamkor.activities.models import Notification
from hamkor.activities.selectors.notifications import (
    count_unread_notifications,
    get_notification,
    list_notifications,
)
from hamkor.activities.services.notifications import (
    mark_all_notifications_read,
    mark_notification_read,
)
from hamkor.activities.views.interactions import AuthedRequest

PAGE = 50


@login_required
@require_GET
def notifications(request: AuthedRequest) -> HttpResponse:
    """The viewer's latest notifications, unread first in bold."""
    items = list(list_notifications(viewer=request.user)[:PAGE])
    unread = count_unread_notifications(viewer=request.user)
    return render(
        request, "activities/notifications.html", {"notifications": items, "unread": unread}
    )


@login_required
@require_GET
def bell(request: AuthedRequest) -> HttpResponse:
    """The bell alone, for htmx to refresh the count every minute."""
    unread = count_unread_notifications(viewer=request.user)
    return render(request, "activities/_bell.html", {"unread": unread})


@login_required
@require_POST
def read(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark one notification read and open what it is about."""
    try:
        notification = get_notification(viewer=request.user, pk=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    mark_notification_read(notification=notification)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = reverse("activities:notifications")
    return redirect(target)


@login_required
@require_POST
def read_all(request: AuthedRequest) -> HttpResponse:
    """Mark every notification read."""
    mark_all_notifications_read(user=request.user)
    return redirect("activities:notifications")
