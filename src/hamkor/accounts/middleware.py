"""Apply the signed-in user's own language and time zone choices."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


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
