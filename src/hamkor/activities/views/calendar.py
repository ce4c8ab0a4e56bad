"""The calendar (day, week, month; per user or team) and its iCalendar feed."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hamkor.accounts.models import Team, User
from hamkor.accounts.selectors import list_assignable_users
from hamkor.activities.ical import build_calendar
from hamkor.activities.selectors.activities import list_overdue
from hamkor.activities.selectors.calendar import (
    VIEWS,
    get_calendar,
    get_calendar_feed,
    get_feed_by_token,
    list_feed_activities,
)
from hamkor.activities.services.calendar_feed import (
    note_feed_used,
    regenerate_calendar_feed,
    revoke_calendar_feed,
)
from hamkor.activities.views.interactions import AuthedRequest


def _anchor(raw: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw or "")
    except ValueError:
        return timezone.localdate()


def _teams(viewer: User) -> list[Team]:
    if viewer.sees_everything:
        return list(Team.objects.order_by("name"))
    return [viewer.team] if viewer.team is not None else []


def _whose(request: AuthedRequest) -> tuple[User | None, Team | None]:
    """The user (default: the viewer) or team whose calendar to show; 404 if out of reach."""
    viewer = request.user
    team_raw, user_raw = request.GET.get("team", ""), request.GET.get("user", "")
    if team_raw:
        team = next((t for t in _teams(viewer) if str(t.pk) == team_raw), None)
        if team is None:
            raise Http404
        return None, team
    if user_raw and user_raw != str(viewer.pk):
        if not user_raw.isdigit():
            raise Http404
        user = list_assignable_users(viewer=viewer).filter(pk=int(user_raw)).first()
        if user is None:
            raise Http404
        return user, None
    return viewer, None


def _feed_url(request: AuthedRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("activities:calendar_feed", args=[token]))


def _render_calendar(request: AuthedRequest, *, new_feed_url: str = "") -> HttpResponse:
    viewer = request.user
    owner, team = _whose(request)
    view = request.GET.get("view", "week")
    grid = get_calendar(
        viewer=viewer,
        view=view if view in VIEWS else "week",
        anchor=_anchor(request.GET.get("date")),
        owner=owner,
        team=team,
    )
    whose = f"team={team.pk}" if team is not None else f"user={owner.pk if owner else viewer.pk}"
    context = {
        "grid": grid,
        "owner": owner,
        "team": team,
        "whose": whose,
        "users": list_assignable_users(viewer=viewer),
        "teams": _teams(viewer),
        "views": [("day", _("Day")), ("week", _("Week")), ("month", _("Month"))],
        "overdue": list_overdue(viewer=viewer, owner_id=viewer.pk)[:20],
        "feed": get_calendar_feed(user=viewer),
        "new_feed_url": new_feed_url,
        "weekday_names": [day.date for day in grid.weeks[0]] if grid.weeks else [],
    }
    return render(request, "activities/calendar.html", context)


@login_required
@require_GET
def calendar(request: AuthedRequest) -> HttpResponse:
    """Day, week or month of one user's (default: mine) or one team's activities."""
    return _render_calendar(request)


@login_required
@require_POST
def regenerate_feed(request: AuthedRequest) -> HttpResponse:
    """Issue a new secret feed address; shown once, the old one stops working."""
    token = regenerate_calendar_feed(user=request.user)
    return _render_calendar(request, new_feed_url=_feed_url(request, token))


@login_required
@require_POST
def revoke_feed(request: AuthedRequest) -> HttpResponse:
    """Turn the feed address off."""
    revoke_calendar_feed(user=request.user)
    return _render_calendar(request)


@require_GET
def calendar_feed(request: AuthedRequest, token: str) -> HttpResponse:
    """The iCalendar feed; the secret in the address is the only credential."""
    feed = get_feed_by_token(token=token)
    if feed is None:
        raise Http404
    note_feed_used(feed=feed)
    user = feed.user
    body = build_calendar(list_feed_activities(user=user), name=f"Hamkor: {user}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="hamkor.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
