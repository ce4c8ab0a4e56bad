"""Errors the billing services raise besides plain validation errors."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class InvoiceStateError(ValidationError):
    """The invoice is not in a status that allows this (the API answers 409)."""
