"""Who the customer in this browser is: the portal's own sign-in, apart from staff logins.

A portal visitor is a Contact, not a User. The contact's id sits in the Django session under
its own key, so a staff member and a customer can use the same browser without either
seeing the other's pages. Every customer-facing view takes the contact from
`request.portal_contact`, set by `portal_login_required`, and scopes every read to it.

`portal_login_required` also shows the page in the customer's own language and time zone
(``contact.language``, ``contact.time_zone``) with overrides that end with the request, so
the choice never leaks into the next request the thread serves. Before login the browser's
language applies (LocaleMiddleware).
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation

from hamkor.contacts.models import Contact

SESSION_KEY = "portal_contact_id"


def log_in_contact(request: HttpRequest, contact: Contact) -> None:
    """Start a portal session for contact (after its one-time code was checked)."""
    # A new session key on sign-in, so a session id planted before cannot be taken over.
    request.session.cycle_key()
    request.session[SESSION_KEY] = contact.pk


def log_out_contact(request: HttpRequest) -> None:
    """End the portal session; a staff login in the same browser stays."""
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def get_portal_contact(request: HttpRequest) -> Contact | None:
    """The active contact signed in to the portal in this browser, if any."""
    contact_id = request.session.get(SESSION_KEY)
    if contact_id is None:
        return None
    return Contact.objects.filter(pk=contact_id, archived_at__isnull=True).first()


@contextmanager
def contact_preferences(contact: Contact) -> Iterator[None]:
    """Translate and show times for this contact while the block runs, then restore."""
    try:
        zone: zoneinfo.ZoneInfo | None = zoneinfo.ZoneInfo(contact.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = None
    with translation.override(contact.language or None), timezone.override(zone):
        yield


def portal_login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send a visitor without a portal session to the code login, then back here.

    The view (and its template, also a lazy TemplateResponse) runs in the contact's language
    and time zone.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        contact = get_portal_contact(request)
        if contact is None:
            login = reverse("portal:login")
            return HttpResponseRedirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
        request.portal_contact = contact  # type: ignore[attr-defined]
        with contact_preferences(contact):
            request.LANGUAGE_CODE = translation.get_language()
            response = view(request, *args, **kwargs)
            render = getattr(response, "render", None)
            if callable(render) and not getattr(response, "is_rendered", True):
                render()
            response.headers.setdefault("Content-Language", translation.get_language())
        return response

    return wrapped
