"""Per-request account rules: the user's language and time zone, the second-factor gate, and
the API call log."""

from __future__ import annotations

import time
import zoneinfo
from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation

from hamkor.accounts.api_access import API_PREFIX
from hamkor.accounts.client_ip import client_ip
from hamkor.accounts.services import record_api_call
from hamkor.accounts.two_factor import ENROL, VERIFY, pending_state

# Attribute BearerToken sets on the request once it has found the caller's token.
API_TOKEN_ATTRIBUTE = "hamkor_api_token"  # noqa: S105 - an attribute name, not a secret


class UserPreferencesMiddleware:
    """The user's choice beats Accept-Language, which beats the organisation default."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = None
        if user is not None and user.is_authenticated:
            if user.language:
                language = user.language
                request.LANGUAGE_CODE = user.language
            if user.time_zone:
                try:
                    timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
                except zoneinfo.ZoneInfoNotFoundError:
                    timezone.deactivate()
        try:
            if language is None:
                return self.get_response(request)
            # An override, not activate(): the thread serves the next request (or test) too.
            with translation.override(language):
                response = self.get_response(request)
                response.headers.setdefault("Content-Language", language)
                return response
        finally:
            timezone.deactivate()


class TwoFactorMiddleware:
    """A session that still owes its second factor reaches only the code or set-up page.

    Reads only the session (already loaded for the user), so it costs no query.
    The API is not gated: bearer tokens carry no session and skip two-factor login.
    """

    # Paths every pending session may still reach (assets, the API, language switching).
    OPEN_PREFIXES = ("/static/", "/api/", "/i18n/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(self.OPEN_PREFIXES):
            return self.get_response(request)
        state = pending_state(request)
        if state is None or not request.user.is_authenticated:
            return self.get_response(request)
        target = reverse(
            "accounts:two_factor_verify" if state == VERIFY else "accounts:two_factor_setup"
        )
        allowed = {target, reverse("logout"), reverse("set_language")}
        if state == ENROL:
            # Set-up confirms on its own URL; the recovery codes are shown in that response.
            allowed.add(reverse("accounts:two_factor_confirm"))
        if request.path in allowed:
            return self.get_response(request)
        if state == VERIFY and request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)


class ApiCallLogMiddleware:
    """Write one call log row for every API request that presented a known token."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        token = getattr(request, API_TOKEN_ATTRIBUTE, None)
        if token is not None:
            record_api_call(
                token=token,
                method=request.method or "",
                path=request.path,
                status_code=response.status_code,
                duration_ms=round((time.perf_counter() - started) * 1000),
                ip=client_ip(request),
            )
        return response
