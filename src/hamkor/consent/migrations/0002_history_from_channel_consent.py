"""Start the history with one record per ChannelConsent row that existed before it was kept.

Those rows said nothing about the wording the customer saw, so text_shown stays empty and the
note says where the record came from. They were marketing-ish consent per channel, so each
becomes a marketing record.
"""

from django.db import migrations

BATCH = 2000
MARKER = "Recorded before consent history was kept."


def copy_channel_consent(apps, schema_editor):
    ChannelConsent = apps.get_model("contacts", "ChannelConsent")
    ConsentRecord = apps.get_model("consent", "ConsentRecord")
    batch = []
    rows = ChannelConsent.objects.order_by("pk").iterator(chunk_size=BATCH)
    for row in rows:
        note = f"{row.note} ({MARKER})" if row.note else MARKER
        batch.append(
            ConsentRecord(
                contact_id=row.contact_id,
                purpose="marketing",
                channel=row.channel,
                granted=row.granted,
                method=row.method,
                text_shown="",
                note=note[:500],
                source="contacts.ChannelConsent",
                recorded_by_id=row.recorded_by_id,
                recorded_at=row.recorded_at,
            )
        )
        if len(batch) >= BATCH:
            ConsentRecord.objects.bulk_create(batch)
            batch = []
    if batch:
        ConsentRecord.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ("consent", "0001_consent_record"),
        ("contacts", "0006_consent_method_portal"),
    ]

    operations = [
        # Reverse: the schema migration before this one drops the table anyway.
        migrations.RunPython(copy_channel_consent, migrations.RunPython.noop),
    ]
