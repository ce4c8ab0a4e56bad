"""Fixtures of the portal tests: a real SMTP server (shared with the messaging tests)."""

from tests.messaging.conftest import smtp_server

__all__ = ["smtp_server"]
