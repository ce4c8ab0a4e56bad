"""The client's IP address, as the lockout and the API call log see it."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or with HAMKOR_PROXY_COUNT=N the Nth X-Forwarded-For entry from the right.

    Counting from the right means a client cannot pick its own address by sending the header:
    only the entries our own proxies appended are trusted.
    """
    count = settings.HAMKOR_PROXY_COUNT
    candidate: str | None = request.META.get("REMOTE_ADDR")
    if count > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            candidate = forwarded[-count]
    if not candidate:
        return None
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None
