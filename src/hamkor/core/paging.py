"""The `{"items": [...], "count": N}` page every API list answers with."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet


def list_page(queryset: QuerySet[Any], *, offset: int, limit: int) -> dict[str, Any]:
    """One page of ``queryset`` and the total number of rows it holds."""
    return {"items": list(queryset[offset : offset + limit]), "count": queryset.count()}
