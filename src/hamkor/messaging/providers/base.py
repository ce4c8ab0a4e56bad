"""What every provider takes and gives back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Outgoing:
    """One message as a provider sees it."""

    uuid: str
    idempotency_key: str
    to_address: str
    body: str
    subject: str = ""
    html_body: str = ""
    email_message_id: str = ""
    in_reply_to: str = ""
    references: str = ""


@dataclass(frozen=True)
class SendResult:
    provider_message_id: str = ""


class ProviderError(Exception):
    """A send that did not go through; ``retryable`` says whether trying later may help."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


class Provider(Protocol):
    name: str

    @property
    def supports_idempotency(self) -> bool:
        """True when a second send with the same idempotency key cannot reach anyone twice."""
        ...

    def send(self, message: Outgoing) -> SendResult: ...
