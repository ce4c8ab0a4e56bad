"""Resolving ids in API payloads into records, collecting field errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist

T = TypeVar("T")


def resolve_reference(
    errors: dict[str, str], field: str, pk: int | None, fetch: Callable[[int], T], message: str
) -> T | None:
    """Look up a referenced record; a missing or invisible one becomes a field error.

    ``message`` has an ``%(id)s`` placeholder; errors are gathered so one answer names them all.
    """
    if pk is None:
        return None
    try:
        return fetch(pk)
    except ObjectDoesNotExist:
        errors[field] = message % {"id": pk}
        return None
