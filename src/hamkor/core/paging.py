"""Paging for lists: the API's `{"items": [...], "count": N}`, capped counts and keyset pages.

Keyset ("after this row") paging reads only the rows it shows, however deep the page, where
``OFFSET`` reads and throws away every row before it. A cursor is an opaque, URL-safe token
holding the sort key of one row; it positions a page and grants nothing: the queryset it is
applied to is already scoped to the viewer.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import functools
import json
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

M = TypeVar("M", bound=Model)

# Beyond this many matching rows lists say "10,000+" instead of counting every row: an exact
# COUNT(*) reads the whole match set (all 100,000 contacts for an unfiltered list).
COUNT_CAP = 10_000

INVALID_CURSOR = _("This page link is no longer valid; start from the first page.")


def list_page(queryset: QuerySet[Any], *, offset: int, limit: int) -> dict[str, Any]:
    """One page of ``queryset`` and the total number of rows it holds."""
    return {"items": list(queryset[offset : offset + limit]), "count": queryset.count()}


# A list is one queryset, or several disjoint ones (parts) whose union is the list, each
# ordered the same way: see contacts.selectors.visible_parts.
Rows = QuerySet[M] | Sequence[QuerySet[M]]


def _parts(rows: Rows[M]) -> list[QuerySet[M]]:
    return [rows] if isinstance(rows, QuerySet) else list(rows)


def count_up_to(rows: Rows[Any], cap: int | None = None) -> tuple[int, bool]:
    """Rows in the list, counted no further than ``cap``: (n, False) or (cap, True)."""
    cap = COUNT_CAP if cap is None else cap
    parts = _parts(rows)
    found = 0
    for part in parts:
        # A sliced queryset counts in a subquery with LIMIT, so the database stops at cap + 1.
        # A part keeps its order: that steers SQLite to the part's index, which holds the
        # list order and covers the part's condition (no table reads).
        part = part if len(parts) > 1 else part.order_by()
        found += part[: cap + 1 - found].count()
        if found > cap:
            break
    return (cap, True) if found > cap else (found, False)


@dataclass
class KeysetPage(Generic[M]):
    """One page of rows and the cursors of its neighbours (empty when there is none)."""

    object_list: list[M]
    next_cursor: str = ""
    previous_cursor: str = ""

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_cursor)


def _ordering(queryset: QuerySet[Any]) -> list[str]:
    order = [str(name) for name in queryset.query.order_by]
    if not order or order[-1].lstrip("-") not in ("id", "pk"):
        # Without a unique last key, rows tying on the others could be skipped or repeated.
        raise ValueError("keyset paging needs an explicit ordering ending with the id")
    return order


def _plain(value: Any) -> Any:
    # Full precision: Django's JSON encoder would cut microseconds, and rows created in the
    # same millisecond would then be skipped or repeated.
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    raise TypeError(f"cannot put {type(value).__name__} in a cursor")


def encode_cursor(values: Sequence[Any]) -> str:
    """An opaque token for a row's sort key values."""
    raw = json.dumps(list(values), default=_plain, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(queryset: QuerySet[Any], order: Sequence[str], token: str) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError):
        raise ValidationError(INVALID_CURSOR, code="cursor") from None
    if not isinstance(values, list) or len(values) != len(order):
        raise ValidationError(INVALID_CURSOR, code="cursor")
    meta = queryset.model._meta
    try:
        return [
            meta.get_field(name.lstrip("-")).to_python(value)
            for name, value in zip(order, values, strict=True)
        ]
    except (ValidationError, TypeError):
        raise ValidationError(INVALID_CURSOR, code="cursor") from None


def _row_key(row: Model, order: Sequence[str]) -> list[Any]:
    return [getattr(row, name.lstrip("-")) for name in order]


def _beyond(order: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows after ``values`` in ``order``: (a > x) or (a = x and b > y) or ...

    The leading ``a >= x`` is implied, but stated it lets both databases start an index range
    there instead of testing the OR on every row.
    """
    names = [name.lstrip("-") for name in order]
    ops = ["lt" if name.startswith("-") else "gt" for name in order]
    after = Q()
    for depth in range(len(order)):
        equal = {names[i]: values[i] for i in range(depth)}
        after |= Q(**equal, **{f"{names[depth]}__{ops[depth]}": values[depth]})
    return Q(**{f"{names[0]}__{ops[0]}e": values[0]}) & after


def _reverse(order: Sequence[str]) -> list[str]:
    return [name[1:] if name.startswith("-") else "-" + name for name in order]


def _fetch(parts: Sequence[QuerySet[M]], order: Sequence[str], count: int) -> list[M]:
    """The first ``count`` rows of the union of ordered, disjoint parts, in ``order``."""
    if len(parts) == 1:
        return list(parts[0][:count])
    # Related rows are fetched once for the merged page, not for each part's candidates.
    lookups = getattr(parts[0], "_prefetch_related_lookups", ())
    rows = [row for part in parts for row in part.prefetch_related(None)[:count]]

    def compare(a: M, b: M) -> int:
        for name, x, y in zip(order, _row_key(a, order), _row_key(b, order), strict=True):
            if x != y:
                return (-1 if x < y else 1) * (-1 if name.startswith("-") else 1)
        return 0

    # Python compares str by code point, as SQLite's default (BINARY) collation does; parts
    # are only used where that holds (see contacts.selectors.visible_parts).
    rows = sorted(rows, key=functools.cmp_to_key(compare))[:count]
    prefetch_related_objects(rows, *lookups)
    return rows


def _at_offset(queryset: QuerySet[M], offset: int, count: int) -> list[M]:
    """``count`` rows from ``offset``: skip through the keys first, then load only the page.

    Skipping with whole rows reads every skipped row from the table (PostgreSQL: 67 ms at
    offset 50,000); skipping over the primary keys alone can be answered from the list's
    index without touching the table (20 ms), and the page's rows are then fetched by key.
    """
    keys = list(queryset.values_list("pk", flat=True)[offset : offset + count])
    rows = {row.pk: row for row in queryset.filter(pk__in=keys).order_by()}
    return [rows[key] for key in keys if key in rows]


def keyset_page(
    rows: Rows[M], *, limit: int, after: str = "", before: str = "", offset: int = 0
) -> KeysetPage[M]:
    """The ``limit`` rows after the ``after`` cursor (or before ``before``) in the list's order.

    Without a cursor, the page at ``offset`` (0: the first page); an offset serves old
    numbered links and costs what OFFSET costs. Raises ValidationError for a bad cursor.
    """
    parts = _parts(rows)
    queryset = parts[0]
    order = _ordering(queryset)
    if offset and len(parts) > 1:
        # Merging parts at an offset would fetch offset + limit rows of each: one OR instead.
        parts = [functools.reduce(operator.or_, parts)]
    if before:
        key = _decode_cursor(queryset, order, before)
        backwards = _reverse(order)
        found = _fetch(
            [part.filter(_beyond(backwards, key)).order_by(*backwards) for part in parts],
            backwards,
            limit + 1,
        )
        if not found:
            return keyset_page(rows, limit=limit)
        has_more = len(found) > limit
        found = found[:limit][::-1]
        return KeysetPage(
            found,
            next_cursor=encode_cursor(_row_key(found[-1], order)),
            previous_cursor=encode_cursor(_row_key(found[0], order)) if has_more else "",
        )
    if after:
        key = _decode_cursor(queryset, order, after)
        found = _fetch([part.filter(_beyond(order, key)) for part in parts], order, limit + 1)
    elif offset:
        found = _at_offset(parts[0], offset, limit + 1)
    else:
        found = _fetch(parts, order, limit + 1)
    has_more = len(found) > limit
    found = found[:limit]
    came_from_before = bool(after or offset)
    return KeysetPage(
        found,
        next_cursor=encode_cursor(_row_key(found[-1], order)) if has_more else "",
        previous_cursor=(
            encode_cursor(_row_key(found[0], order)) if found and came_from_before else ""
        ),
    )


def cursor_page(rows: Rows[Any], *, limit: int, offset: int, after: str) -> dict[str, Any]:
    """An API list page: items, the count capped at COUNT_CAP and the cursor of the next page.

    ``after`` (a ``next`` from an earlier answer) or ``offset`` positions the page, not both.
    """
    if after and offset:
        raise ValidationError({"after": _("Give either after or offset, not both.")})
    try:
        page = keyset_page(rows, limit=limit, after=after, offset=offset)
    except ValidationError as error:
        raise ValidationError({"after": error.messages}) from None
    count, capped = count_up_to(rows)
    return {
        "items": page.object_list,
        "count": count,
        "count_capped": capped,
        "next": page.next_cursor or None,
    }
