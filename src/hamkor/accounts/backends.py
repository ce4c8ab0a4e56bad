"""The login lockout as an authentication backend (django-axes)."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """Refuse locked-out username+IP pairs; the next backend checks the password.

    A call without a request (``Client.login`` in tests, a shell script) cannot come from the
    network and has no IP to count, so it passes through instead of failing: every login page
    (ours and the admin's) passes the request and is counted.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)  # type: ignore[no-any-return]
