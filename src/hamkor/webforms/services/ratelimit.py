"""A per-client rate limit kept in the database, so every web process shares one count.

Counts are kept per one-minute window. A fixed window alone lets a client post ``2 × limit``
across a minute boundary, so the decision uses the sliding-window estimate: this minute's
count plus the previous minute's count weighted by how much of it still lies inside the last
60 seconds. One UPSERT per post (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``, SQLite
3.35+ and PostgreSQL) both counts the post and returns the count, with the previous minute's
count beside it, so two processes can never both see "the 10th". Old windows are deleted by
a periodic job.
"""

from __future__ import annotations

import time

from django.db import connection

from hamkor.webforms.models import RateCounter

KEEP_MINUTES = 10
WINDOW_SECONDS = 60


def _minute(now: float) -> int:
    return int(now // WINDOW_SECONDS)


def _count_this_post(key: str, minute: int) -> tuple[int, int]:
    """This minute's count including this post, and the previous minute's, in one statement."""
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    key_col = connection.ops.quote_name("key")
    minute_col = connection.ops.quote_name("minute")
    count_col = connection.ops.quote_name("count")
    # Identifiers are quoted names of our own table; values go in as parameters.
    sql = (
        f"INSERT INTO {table} ({key_col}, {minute_col}, {count_col}) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT ({key_col}, {minute_col}) "
        f"DO UPDATE SET {count_col} = {table}.{count_col} + 1 "
        f"RETURNING {count_col}, (SELECT earlier.{count_col} FROM {table} AS earlier "
        f"WHERE earlier.{key_col} = %s AND earlier.{minute_col} = %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, minute, key, minute - 1])
        row = cursor.fetchone()
    return int(row[0]), int(row[1] or 0)


def hit_rate_limit(*, key: str, limit: int, now: float | None = None) -> bool:
    """Count one post for ``key``; True when the last minute holds more than ``limit`` posts."""
    at = time.time() if now is None else now
    minute = _minute(at)
    current, previous = _count_this_post(key[:80], minute)
    if current > limit:
        return True
    if not previous:
        return False
    still_inside = 1 - (at - minute * WINDOW_SECONDS) / WINDOW_SECONDS
    return current + previous * still_inside > limit


def forget_old_counters(*, now: float | None = None) -> int:
    """Delete counters of windows older than a few minutes; returns how many."""
    at = time.time() if now is None else now
    deleted, _by_model = RateCounter.objects.filter(minute__lt=_minute(at) - KEEP_MINUTES).delete()
    return deleted
