from django.db import migrations

DEFAULT_SOURCES = [
    "Referral",
    "Walk-in",
    "Instagram",
    "Telegram",
    "Banner",
    "Website",
    "Facebook",
    "Other",
]


def add_sources(apps, schema_editor):
    Source = apps.get_model("contacts", "Source")
    for position, name in enumerate(DEFAULT_SOURCES):
        Source.objects.get_or_create(name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("contacts", "0002_search_index")]

    operations = [migrations.RunPython(add_sources, migrations.RunPython.noop)]
