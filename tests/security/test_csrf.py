"""CSRF protection everywhere but a short, documented list; the API ignores session cookies."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from hamkor.accounts.models import Role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

# Views that take POSTs without a CSRF token, and what proves those requests instead.
# docs/security.md lists the same; a new entry needs a reason there.
CSRF_EXEMPT = {
    # Posted from the customer's website (another origin, no cookie of ours): checked against
    # the form's allowed origins, rate-limited and honeypotted.
    "f/<uuid:uuid>/": "hamkor.webforms.views.public.submit",
    # Provider callbacks: the shared secret in the URL (SMS) or header (Telegram).
    "messaging/sms/<str:secret>/status/": "hamkor.messaging.webhooks.sms_status",
    "messaging/sms/<str:secret>/incoming/": "hamkor.messaging.webhooks.sms_incoming",
    "messaging/telegram/webhook/": "hamkor.messaging.webhooks.telegram_webhook",
    # RFC 8058 one-click unsubscribe from a mail client: the signed token in the address.
    "marketing/unsubscribe/<str:token>/": "hamkor.marketing.views.public.unsubscribe_page",
}
# The REST API authenticates by bearer token only, never by cookie (tested below).
API_PREFIX = "api/v1/"


def _routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def _name(view):
    return f"{view.__module__}.{view.__qualname__}"


def test_only_the_documented_views_skip_csrf():
    exempt = {
        route: _name(view)
        for route, view in _routes()
        if getattr(view, "csrf_exempt", False) and not route.startswith(API_PREFIX)
    }

    assert exempt == CSRF_EXEMPT


def test_every_exempt_route_under_the_api_prefix_is_an_api_operation():
    api_views = {
        _name(view)
        for route, view in _routes()
        if route.startswith(API_PREFIX) and getattr(view, "csrf_exempt", False)
    }

    assert api_views == {"ninja.operation.PathView.get_view.<locals>.sync_view_wrapper"}


def test_a_form_post_without_the_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(role=Role.ADMIN))

    response = client.post("/contacts/new/", {"first_name": "Aziza"})

    assert response.status_code == 403


def test_the_portal_login_needs_the_token_too():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/portal/login/", {"address": "aziza@example.com"})

    assert response.status_code == 403


def _api_operations():
    """Every (method, concrete path) the API serves, path parameters filled with samples."""
    from hamkor.config.api import api

    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    concrete = re.sub(
                        r"{(\w+)}",
                        lambda m: str(uuid.uuid4()) if "uuid" in m.group(1) else "1",
                        f"/api/v1{prefix}{path}",
                    )
                    yield method, concrete


def test_a_signed_in_browser_without_a_token_cannot_use_the_api():
    # An admin's session cookie is what a cross-site request would carry: it must count for
    # nothing, so the API needs no CSRF check. Reads are refused too.
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True))
    operations = list(_api_operations())

    answered = {
        (method, path): (
            client.get(path)
            if method == "GET"
            else client.generic(method, path, "{}", content_type="application/json")
        ).status_code
        for method, path in operations
    }

    assert len(answered) > 100
    assert {key: code for key, code in answered.items() if code != 401} == {}
