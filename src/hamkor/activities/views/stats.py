"""The activity statistics page for managers."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hamkor.activities.selectors.stats import get_activity_stats, last_week, week_of
from hamkor.activities.views.interactions import AuthedRequest


def _week(raw: str | None) -> tuple[datetime.date, datetime.date]:
    try:
        return week_of(datetime.date.fromisoformat(raw or ""))
    except ValueError:
        return last_week()


@login_required
@require_GET
def stats(request: AuthedRequest) -> HttpResponse:
    """Meetings held and won, and follow-ups given, per user for one week (last by default)."""
    start, end = _week(request.GET.get("week"))
    context = {
        "stats": get_activity_stats(viewer=request.user, start=start, end=end),
        "last_day": end - datetime.timedelta(days=1),
        "previous": start - datetime.timedelta(days=7),
        "following": end,
    }
    return render(request, "activities/stats.html", context)
