"""Tells the audit trail where each request comes from (see hamkor.core.audit.Origin)."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from hamkor.core.audit import Origin, audit_origin
from hamkor.core.models import Via

API_PREFIX = "/api/"
KEPT = 300


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind HAMKOR_PROXY_COUNT=N proxies the Nth X-Forwarded-For entry from
    the right: a client can prepend anything to the header, only our proxies' entries count.
    """
    count = int(getattr(settings, "HAMKOR_PROXY_COUNT", 0) or 0)
    candidate: str | None = request.META.get("REMOTE_ADDR")
    if count > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        entries = [entry.strip() for entry in forwarded if entry.strip()]
        if len(entries) >= count:
            candidate = entries[-count]
    if not candidate:
        return None
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def request_origin(request: HttpRequest) -> Origin:
    """IP, browser, web or API, and "METHOD /path" of one request."""
    path = request.path
    return Origin(
        via=Via.API if path.startswith(API_PREFIX) else Via.WEB,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:KEPT],
        request=f"{request.method} {path}"[:KEPT],
    )


class AuditOriginMiddleware:
    """Events recorded while a request is handled carry its IP, browser and path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit_origin(request_origin(request)):
            return self.get_response(request)
