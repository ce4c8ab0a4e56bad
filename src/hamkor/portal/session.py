"""Who the customer in this browser is: the portal's own sign-in, apart from staff logins.

A portal visitor is a Contact, not a User. The contact's id sits in the Django session under
its own key, so a staff member and a customer can use the same browser without either
seeing the other's pages. Every customer-facing view takes the contact from
`request.portal_contact`, set by `portal_login_required`, and scopes every read to it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from hamkor.contacts.models import Contact

SESSION_KEY = "portal_contact_id"


def log_in_contact(request: HttpRequest, contact: Contact) -> None:
    """Start a portal session for contact (after its one-time code was checked)."""
    # A new session key on sign-in, so a session id planted before cannot be taken over.
    request.session.cycle_key()
    request.session[SESSION_KEY] = contact.pk


def log_out_contact(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def get_portal_contact(request: HttpRequest) -> Contact | None:
    contact_id = request.session.get(SESSION_KEY)
    if contact_id is None:
        return None
    return Contact.objects.filter(pk=contact_id, archived_at__isnull=True).first()


def portal_login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send a visitor without a portal session to the code login, then back here."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        contact = get_portal_contact(request)
        if contact is None:
            login = reverse("portal:login")
            return HttpResponseRedirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
        request.portal_contact = contact  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped
