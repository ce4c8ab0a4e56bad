"""Django's ``flush``, able to empty the append-only audit table on SQLite.

Emptying the whole database is the one time audit events may go: SQLite's flush deletes row
by row, which the table's DELETE trigger refuses, so the trigger is dropped and created again
inside the flush's transaction (a failed flush restores it). PostgreSQL's flush truncates,
which row triggers do not see. Test cases that reset the database between tests use this too.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections, transaction

# As created by core's migration 0004_audit_append_only_triggers.
NO_DELETE_TRIGGER = """
    CREATE TRIGGER core_audit_no_delete BEFORE DELETE ON core_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only: they cannot be deleted');
    END
"""


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            super().handle(**options)
            return
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                ["core_audit_no_delete"],
            )
            had_trigger = cursor.fetchone() is not None
            if had_trigger:
                cursor.execute("DROP TRIGGER core_audit_no_delete")
            super().handle(**options)
            if had_trigger:
                cursor.execute(NO_DELETE_TRIGGER)
