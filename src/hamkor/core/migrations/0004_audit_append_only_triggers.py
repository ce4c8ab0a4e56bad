"""Make the audit table append-only in the database itself, not only in the ORM.

UPDATE and DELETE are refused, except two updates Django and the privacy app need:
a redaction (only data, user_agent and redacted_at change, and redacted_at ends up set;
see hamkor.core.audit.redact_values) and an actor's removal (only actor_id changes, to NULL:
the foreign key's ON DELETE SET NULL when a user is deleted).

SQLite rebuilds a table to alter it, which drops its triggers: a later migration that alters
core_auditevent must create them again (tests/core/test_audit_triggers.py checks they exist).
`hamkor flush` lifts the DELETE trigger for its own statement (hamkor.audit's flush command).
PostgreSQL's TRUNCATE is not covered: it needs the table owner, like dropping the trigger.
"""

from django.db import migrations

from hamkor.core.migration_ops import VendorSQL

SAME_EXCEPT_REDACTION = " AND ".join(
    f"NEW.{column} IS OLD.{column}"
    for column in ("id", "actor_id", "verb", "target_type", "target_id", "created_at", "ip")
    + ("via", "request")
)
SAME_EXCEPT_ACTOR = " AND ".join(
    f"NEW.{column} IS OLD.{column}"
    for column in ("id", "verb", "target_type", "target_id", "created_at", "ip", "via")
    + ("request", "data", "user_agent", "redacted_at")
)

SQLITE = [
    """
    CREATE TRIGGER core_audit_no_delete BEFORE DELETE ON core_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only: they cannot be deleted');
    END
    """,
    f"""
    CREATE TRIGGER core_audit_no_update BEFORE UPDATE ON core_auditevent
    WHEN NOT (
        (NEW.redacted_at IS NOT NULL AND {SAME_EXCEPT_REDACTION})
        OR (NEW.actor_id IS NULL AND {SAME_EXCEPT_ACTOR})
    )
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only: only a redaction may change one');
    END
    """,
]

# Rows compared as JSON minus the columns an update may change: a column added later is
# protected without touching this function.
POSTGRESQL = [
    """
    CREATE FUNCTION core_audit_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'audit events are append-only: they cannot be deleted'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.redacted_at IS NOT NULL
            AND to_jsonb(NEW) - 'data' - 'user_agent' - 'redacted_at'
                = to_jsonb(OLD) - 'data' - 'user_agent' - 'redacted_at' THEN
            RETURN NEW;
        END IF;
        IF NEW.actor_id IS NULL AND to_jsonb(NEW) - 'actor_id' = to_jsonb(OLD) - 'actor_id' THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit events are append-only: only a redaction may change one'
            USING ERRCODE = 'integrity_constraint_violation';
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER core_audit_append_only BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_audit_append_only()
    """,
]


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_origin_redaction")]

    operations = [
        VendorSQL(
            sqlite=SQLITE,
            postgresql=POSTGRESQL,
            reverse_sqlite=[
                "DROP TRIGGER IF EXISTS core_audit_no_update",
                "DROP TRIGGER IF EXISTS core_audit_no_delete",
            ],
            reverse_postgresql=[
                "DROP TRIGGER IF EXISTS core_audit_append_only ON core_auditevent",
                "DROP FUNCTION IF EXISTS core_audit_append_only()",
            ],
        )
    ]
