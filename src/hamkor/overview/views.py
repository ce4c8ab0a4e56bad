"""The customer 360 pages: one contact's or one company's whole history on one page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hamkor.accounts.models import User
from hamkor.contacts.models import Company, Contact
from hamkor.overview.selectors import (
    CustomerOverview,
    get_company_overview,
    get_contact_overview,
)


class AuthedRequest(HttpRequest):
    user: User


def _render(request: AuthedRequest, overview: CustomerOverview) -> HttpResponse:
    return render(request, "overview/overview.html", {"overview": overview})


@login_required
@require_GET
def contact_overview(request: AuthedRequest, pk: int) -> HttpResponse:
    """A contact's deals, orders, projects, tasks, time, invoices and latest interactions."""
    try:
        overview = get_contact_overview(viewer=request.user, pk=pk)
    except Contact.DoesNotExist:
        # Someone else's customer does not exist for this viewer.
        raise Http404 from None
    return _render(request, overview)


@login_required
@require_GET
def company_overview(request: AuthedRequest, pk: int) -> HttpResponse:
    """The same for a company."""
    try:
        overview = get_company_overview(viewer=request.user, pk=pk)
    except Company.DoesNotExist:
        raise Http404 from None
    return _render(request, overview)
