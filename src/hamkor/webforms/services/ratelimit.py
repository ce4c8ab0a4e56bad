"""A per-client rate limit kept in the database, so every web process shares one count.

Fixed one-minute windows: one UPSERT per post (``INSERT ... ON CONFLICT DO UPDATE ...
RETURNING``, SQLite 3.35+ and PostgreSQL) both counts the post and returns the count, so two
processes can never both see "the 10th". Old windows are deleted by a periodic job.
"""

from __future__ import annotations

import time

from django.db import connection

from hamkor.webforms.models import RateCounter

KEEP_MINUTES = 10


def _minute(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // 60)


def hit_rate_limit(*, key: str, limit: int, now: float | None = None) -> bool:
    """Count one post for ``key`` in this minute; True when it is over ``limit``."""
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    key_col = connection.ops.quote_name("key")
    minute_col = connection.ops.quote_name("minute")
    count_col = connection.ops.quote_name("count")
    # Identifiers are quoted names of our own table; values go in as parameters.
    sql = (
        f"INSERT INTO {table} ({key_col}, {minute_col}, {count_col}) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT ({key_col}, {minute_col}) "
        f"DO UPDATE SET {count_col} = {table}.{count_col} + 1 RETURNING {count_col}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key[:80], _minute(now)])
        row = cursor.fetchone()
    return int(row[0]) > limit


def forget_old_counters(*, now: float | None = None) -> int:
    """Delete counters of windows older than a few minutes; returns how many."""
    deleted, _by_model = RateCounter.objects.filter(minute__lt=_minute(now) - KEEP_MINUTES).delete()
    return deleted
