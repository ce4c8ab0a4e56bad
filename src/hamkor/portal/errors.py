"""What the portal's login services refuse, with a message fit for the customer."""

from __future__ import annotations


class CodeRequestThrottled(Exception):
    """Too many codes were asked for this address or from this network lately."""

    def __init__(self, *, retry_after_seconds: int) -> None:
        super().__init__(retry_after_seconds)
        self.retry_after_seconds = retry_after_seconds


class LoginCodeRejected(Exception):
    """The code typed is wrong, expired, already used or tried too often; says which."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
