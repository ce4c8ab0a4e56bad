"""Small helpers the portal's views share."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from hamkor.contacts.models import Contact


def safe_next(request: HttpRequest, value: str | None) -> str:
    """``value`` when it is a path on this site, else the portal's home."""
    default = reverse("portal:home")
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default
    return value


def client_ip(request: HttpRequest) -> str | None:
    """The peer's address as the web server saw it (a proxy must pass it in REMOTE_ADDR)."""
    value = request.META.get("REMOTE_ADDR") or None
    return str(value) if value else None


def portal_contact(request: HttpRequest) -> Contact:
    """The contact portal_login_required put on the request."""
    contact: Contact = request.portal_contact  # type: ignore[attr-defined]
    return contact
