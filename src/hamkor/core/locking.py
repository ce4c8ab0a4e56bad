"""Row locks taken in primary-key order so two merges cannot deadlock each other."""

from __future__ import annotations

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def lock_rows(model: type[M], *pks: int) -> dict[int, M]:
    """Lock the given rows (SELECT ... FOR UPDATE where supported) and return them by pk.

    Must be called inside a transaction. SQLite has no row locks; there the transaction
    itself (opened IMMEDIATE, see settings) serialises writers.
    """
    ordered = sorted(set(pks))
    rows = model._default_manager.select_for_update().filter(pk__in=ordered).order_by("pk")
    return {row.pk: row for row in rows}
