"""Tells the audit trail where each request comes from (see hamkor.core.audit.Origin)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from hamkor.accounts.client_ip import client_ip
from hamkor.core.audit import Origin, audit_origin
from hamkor.core.models import Via

API_PREFIX = "/api/"
KEPT = 300


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
