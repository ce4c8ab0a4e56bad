"""Response headers Django's SecurityMiddleware does not send: Permissions-Policy.

Django sets nosniff, Referrer-Policy, Cross-Origin-Opener-Policy and HSTS; django-csp sets the
Content-Security-Policy; this adds the browser features no Hamkor page uses, switched off so
that an injected script or a framed page cannot ask for them either.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

# Feature -> allowed origins; an empty tuple is "()" (nobody, not even our own pages).
DEFAULT_PERMISSIONS_POLICY: Mapping[str, tuple[str, ...]] = {
    "accelerometer": (),
    "camera": (),
    "geolocation": (),
    "gyroscope": (),
    "magnetometer": (),
    "microphone": (),
    "payment": (),
    "usb": (),
}


def permissions_policy(features: Mapping[str, tuple[str, ...]]) -> str:
    """The header value: ``camera=(), geolocation=(self)``."""
    return ", ".join(f"{name}=({' '.join(origins)})" for name, origins in features.items())


class SecurityHeadersMiddleware:
    """Adds ``Permissions-Policy`` (from ``HAMKOR_PERMISSIONS_POLICY``) unless a view set one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        features = getattr(settings, "HAMKOR_PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY)
        self.value = permissions_policy(features)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault("Permissions-Policy", self.value)
        return response
