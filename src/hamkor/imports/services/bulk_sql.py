"""Fast inserts for big imports: one seam, PostgreSQL COPY or SQLite executemany.

Rows are tuples in a fixed column order; columns not given take the model's default, prepared
for the database once per batch rather than once per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models


class BulkTable:
    """Insert rows into one model's table: ``dynamic`` columns per row, the rest from defaults."""

    def __init__(self, model: type[models.Model], dynamic: Sequence[str], **fixed: Any) -> None:
        self.model = model
        self.table = model._meta.db_table
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        by_name = {f.name: f for f in fields} | {f.attname: f for f in fields}
        self.dynamic = [by_name[name] for name in dynamic]
        instance = model(**fixed)
        self.static = [f for f in fields if f not in self.dynamic]
        self.static_values = tuple(
            f.get_db_prep_save(getattr(instance, f.attname), connection) for f in self.static
        )
        self.columns = [f.column for f in self.dynamic] + [f.column for f in self.static]

    def prep(self, name: str, value: Any) -> Any:
        """A per-row value prepared like Django would (dates, JSON)."""
        field = next(f for f in self.dynamic if name in (f.name, f.attname))
        return field.get_db_prep_save(value, connection)

    def insert(self, rows: Iterable[tuple[Any, ...]], *, ids: bool = False) -> None:
        """Insert rows; with ``ids`` each row starts with its primary key (see reserve_ids)."""
        columns = (["id"] if ids else []) + self.columns
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        static = self.static_values
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                sql = f"COPY {connection.ops.quote_name(self.table)} ({quoted}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row + static)
            else:
                marks = ", ".join(["%s"] * len(columns))
                table = connection.ops.quote_name(self.table)
                sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, [row + static for row in rows])


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for ``count`` new rows, so child rows can point at them before insert.

    PostgreSQL takes them from the sequence; SQLite continues after the highest key ever
    used (the caller holds the write lock: imports run in one IMMEDIATE transaction).
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        if row is not None:
            highest = max(highest, row[0])
        return list(range(highest + 1, highest + 1 + count))


# SQLite's page cache for the import's connection: the contact, phone and email indexes
# take inserts in random order, and the default 2 MB cache re-reads their pages from disk.
SQLITE_CACHE_KIB = 64 * 1024


@contextmanager
def bulk_session() -> Iterator[None]:
    """Connection settings for a big import, put back afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def sqlite_pause_search_trigger(table: str) -> str:
    """Drop the contacts app's per-row FTS insert trigger on ``table`` for this transaction.

    Returns the statement that recreates it (``restore_search_trigger``). Filling the FTS
    mirror with one INSERT ... SELECT per chunk (``index_search_rows``) is about four times
    faster than the trigger firing for every row. SQLite DDL is transactional: if the import
    rolls back, the trigger comes back with it. The statements are the contacts app's own
    (``contacts.search``), so the mirror stays what its triggers would have made.
    """
    from hamkor.contacts.search import _sqlite_statements

    create = next(s for s in _sqlite_statements(table) if f"{table}_fts_ai " in s)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_ai")
    return create


def restore_search_trigger(statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement)


def index_search_rows(table: str, first_id: int, last_id: int) -> None:
    """Add rows first_id..last_id of ``table`` to its FTS mirror, as its insert trigger does."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table}_fts(rowid, search_text) "  # noqa: S608 - our own table names
            f"SELECT id, search_text FROM {table} WHERE id BETWEEN %s AND %s",
            [first_id, last_id],
        )
