from django.db import migrations

import hamkor.core.migration_ops


class Migration(migrations.Migration):
    dependencies = [("contacts", "0004_contact_active_name_index")]

    # SQLite only: the contact list for a sales user reads the team's and the user's own
    # contacts as two parts (contacts.selectors.visible_parts), each walking one of these in
    # list order. They cover the part's condition, so a capped count reads no table rows.
    # hamkor.contacts.search recreates them on post_migrate, as a table rebuild drops them.
    operations = [
        hamkor.core.migration_ops.VendorSQL(
            sqlite=[
                "CREATE INDEX IF NOT EXISTS contacts_contact_team_list ON contacts_contact "
                "(team_id, last_name, first_name, id) WHERE archived_at IS NULL",
                "CREATE INDEX IF NOT EXISTS contacts_contact_owner_list ON contacts_contact "
                "(owner_id, last_name, first_name, id, team_id) WHERE archived_at IS NULL",
            ],
            reverse_sqlite=[
                "DROP INDEX IF EXISTS contacts_contact_team_list",
                "DROP INDEX IF EXISTS contacts_contact_owner_list",
            ],
        ),
    ]
