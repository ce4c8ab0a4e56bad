from django.db import migrations

import hamkor.core.migration_ops


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]

    # SQLite's FTS5 tables and triggers are made by hamkor.contacts.search on post_migrate,
    # because SQLite table rebuilds in later migrations drop triggers.
    operations = [
        hamkor.core.migration_ops.VendorSQL(
            postgresql=[
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE INDEX IF NOT EXISTS contacts_contact_search_trgm ON contacts_contact USING gin (search_text gin_trgm_ops)",
                "CREATE INDEX IF NOT EXISTS contacts_company_search_trgm ON contacts_company USING gin (search_text gin_trgm_ops)",
            ],
            reverse_postgresql=[
                "DROP INDEX IF EXISTS contacts_contact_search_trgm",
                "DROP INDEX IF EXISTS contacts_company_search_trgm",
            ],
        ),
    ]
