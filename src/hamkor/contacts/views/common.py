"""Small helpers shared by the contacts views."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django_htmx.middleware import HtmxDetails

from hamkor.accounts.models import User
from hamkor.contacts.models import Company, Contact
from hamkor.contacts.selectors import get_company, get_contact

PAGE_SIZE = 25


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def wants_partial(request: AuthedRequest) -> bool:
    """An htmx request for a fragment; history restores need the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def query_without_page(request: HttpRequest) -> str:
    """The current query string minus ``page``, for pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def visible_contact(request: AuthedRequest, pk: int) -> Contact:
    """The contact if the user may see it, else 404 (never 403: it does not exist for them)."""
    try:
        return get_contact(viewer=request.user, pk=pk)
    except Contact.DoesNotExist:
        raise Http404 from None


def visible_company(request: AuthedRequest, pk: int) -> Company:
    try:
        return get_company(viewer=request.user, pk=pk)
    except Company.DoesNotExist:
        raise Http404 from None
