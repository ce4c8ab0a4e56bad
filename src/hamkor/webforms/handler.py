"""The web process's handler for public form posts: Django's, with a short middleware list.

A company website posts its forms to ``/f/<uuid>/`` in bursts (a campaign goes out, a
thousand people answer within seconds). Those requests have no session, no user and no CSRF
token (the view is exempt), yet the full middleware list loads a session, a user, two-factor
state, lockout state and messages for each of them, and the per-request garbage collection
(``hamkor.config.wsgi``) walks the heap after each one. Together that was more than half of a
post's CPU time (docs/benchmarks.md). This handler runs the same URL conf and view with only
the middleware whose effect such a response needs: security headers, the content security
policy (built once), the visitor's language, the trailing-slash redirect and the frame guard.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponseBase

PUBLIC_PREFIX = "/f/"

# Kept, in the order settings.MIDDLEWARE gives them; everything else is about staff sessions.
PUBLIC_MIDDLEWARE = frozenset(
    {
        "django.middleware.security.SecurityMiddleware",
        "hamkor.core.headers.SecurityHeadersMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    }
)

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


FULL_CSP_MIDDLEWARE = "csp.middleware.CSPMiddleware"
FIXED_CSP_MIDDLEWARE = "hamkor.webforms.handler.FixedPolicyMiddleware"


class FixedPolicyMiddleware:
    """django-csp's header, built once: no public page uses a nonce or a per-view policy.

    django-csp builds the policy string again for every response, which was a tenth of a
    form post's CPU time; the string it builds from the settings is the same each time.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.headers = {HEADER: build_policy()}
        if getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None):
            self.headers[HEADER_REPORT_ONLY] = build_policy(report_only=True)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        for header, policy in self.headers.items():
            if policy and header not in response:
                response[header] = policy
        return response


def public_middleware() -> list[str]:
    """The kept middleware, in the order settings.MIDDLEWARE gives them."""
    kept = []
    for path in settings.MIDDLEWARE:
        if path == FULL_CSP_MIDDLEWARE:
            kept.append(FIXED_CSP_MIDDLEWARE)
        elif path in PUBLIC_MIDDLEWARE:
            kept.append(path)
    return kept


class PublicMiddlewareMixin:
    """For a Django handler class: build the chain from :func:`public_middleware`."""

    def load_middleware(self, is_async: bool = False) -> None:
        # Django's loader (with its sync/async adaptation) reads settings.MIDDLEWARE; give
        # it the short list for the moment it builds the chain. This runs once, when the
        # process starts and before it serves anything, so no request sees the swap.
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = public_middleware()
        try:
            super().load_middleware(is_async)  # type: ignore[misc]
        finally:
            settings.MIDDLEWARE = full


class PublicFormHandler(PublicMiddlewareMixin, WSGIHandler):
    """Django's WSGI handler with :func:`public_middleware` instead of settings.MIDDLEWARE."""

    # Read by hamkor.config.wsgi: a form post leaves a few dozen objects, not a list page's
    # thousands of cycles, so collecting after each would cost more than it frees.
    collect_garbage_per_request = False


def with_public_forms(application: WSGIApp) -> WSGIApp:
    """A WSGI application sending ``/f/…`` to a :class:`PublicFormHandler`, the rest on."""
    public = PublicFormHandler()

    def route(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").startswith(PUBLIC_PREFIX):
            return public(environ, start_response)
        return application(environ, start_response)

    return route
