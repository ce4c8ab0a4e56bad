"""Substring search over contacts and companies, one seam with a backend per database.

PostgreSQL: a trigram GIN index on ``search_text`` serves ``LIKE '%x%'``.
SQLite: an FTS5 table with the trigram tokenizer mirrors ``search_text`` (kept in sync by
triggers, so bulk inserts are covered too) and answers the same substring queries.
Fragments shorter than three characters cannot use either index and fall back to a scan.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import connection, models
from django.db.models.expressions import RawSQL

from hamkor.contacts.text import normalize_query

M = TypeVar("M", bound=models.Model)

TRIGRAM = 3


def _fts_phrase(fragment: str) -> str:
    return '"' + fragment.replace('"', '""') + '"'


def filter_by_search(queryset: models.QuerySet[M], term: str) -> models.QuerySet[M]:
    """Rows whose search text contains every fragment of ``term`` (case-insensitive)."""
    fragments = normalize_query(term)
    if not fragments:
        return queryset
    long = [fragment for fragment in fragments if len(fragment) >= TRIGRAM]
    short = [fragment for fragment in fragments if len(fragment) < TRIGRAM]
    if long and connection.vendor == "sqlite":
        table = queryset.model._meta.db_table
        match = " AND ".join(_fts_phrase(fragment) for fragment in long)
        # FTS5 hands back matching rowids from its index; the id IN (...) join is cheap.
        # The table name is the model's own; the user's text goes in as a parameter.
        fts_ids = f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s"  # noqa: S608
        queryset = queryset.filter(pk__in=RawSQL(fts_ids, [match]))  # noqa: S611
    else:
        short = fragments
    for fragment in short:
        queryset = queryset.filter(search_text__contains=fragment)
        if connection.vendor == "postgresql" and len(fragment) >= TRIGRAM:
            # PostgreSQL guesses that a short fragment matches a few percent of the rows and
            # then walks the name index in list order, filtering as it goes: fast when the
            # matches are spread out, 100 ms at 100,000 contacts when they cluster ("yus" ->
            # Yusupov, at the end). Repeating the condition multiplies its selectivity
            # estimate, so the planner takes the trigram index and sorts the few matches; the
            # GIN index checks both copies in one scan. See docs/benchmarks.md.
            queryset = queryset.filter(search_text__contains=fragment)
    return queryset


SEARCHED_TABLES = ("contacts_contact", "contacts_company")

# Indexes Django's models do not declare (migration 0005): a SQLite table rebuild in a later
# migration drops them, so they are recreated with the FTS triggers.
SQLITE_LIST_INDEXES = (
    "CREATE INDEX IF NOT EXISTS contacts_contact_team_list ON contacts_contact "
    "(team_id, last_name, first_name, id) WHERE archived_at IS NULL",
    "CREATE INDEX IF NOT EXISTS contacts_contact_owner_list ON contacts_contact "
    "(owner_id, last_name, first_name, id, team_id) WHERE archived_at IS NULL",
)


def _sqlite_statements(table: str) -> list[str]:
    # Table names come from SEARCHED_TABLES, never from input.
    fts = f"{table}_fts"
    delete_old = (
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text);"  # noqa: S608
    )
    insert_new = f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text);"  # noqa: S608
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5("
        f"search_text, content='{table}', content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN {insert_new} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN {delete_old} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF search_text ON {table} "
        f"BEGIN {delete_old} {insert_new} END",
    ]


def ensure_sqlite_search_index(using: str = "default") -> list[str]:
    """Create the FTS5 mirrors and their triggers where missing; rebuild a mirror that was.

    Also recreates the contact list indexes (SQLITE_LIST_INDEXES) if a table rebuild dropped
    them. Returns the tables rebuilt. Safe to call any number of times.
    """
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return []
    rebuilt: list[str] = []
    with conn.cursor() as cursor:
        existing = {
            row[0]
            for row in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')"
            )
        }
        for table in SEARCHED_TABLES:
            if table not in existing:
                continue
            fts = f"{table}_fts"
            wanted = {fts, f"{fts}_ai", f"{fts}_ad", f"{fts}_au"}
            if wanted <= existing:
                continue
            for statement in _sqlite_statements(table):
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")  # noqa: S608
            rebuilt.append(table)
        if "contacts_contact" in existing:
            for statement in SQLITE_LIST_INDEXES:
                cursor.execute(statement)
    return rebuilt
