"""The receivables ageing page."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from hamkor.billing.selectors.ageing import BUCKETS, get_receivables_ageing
from hamkor.billing.views.invoices import require_invoice_access
from hamkor.contacts.views.common import AuthedRequest


def _day(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


@login_required
@require_GET
def ageing(request: AuthedRequest) -> HttpResponse:
    """Who owes what, by days past due, in the base currency; ``?on=`` ages as of a day."""
    require_invoice_access(request)
    on = _day(request.GET.get("on", ""))
    report = get_receivables_ageing(viewer=request.user, on=on)
    return render(request, "billing/ageing.html", {"report": report, "buckets": BUCKETS})


urlpatterns: list[URLPattern] = [path("receivables/", ageing, name="ageing")]
