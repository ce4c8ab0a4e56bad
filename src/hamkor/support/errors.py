"""Errors the support services raise besides plain validation errors."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class TicketStateError(ValidationError):
    """The ticket's status does not allow this change (the API answers 409)."""
