from django.db import migrations

DEFAULT = {"name": "VAT 12%", "percent": "12.00"}


def add_default(apps, schema_editor):
    TaxRate = apps.get_model("billing", "TaxRate")
    if not TaxRate.objects.filter(is_default=True).exists():
        TaxRate.objects.get_or_create(
            name=DEFAULT["name"], defaults={"percent": DEFAULT["percent"], "is_default": True}
        )


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_invoices_payments")]

    operations = [migrations.RunPython(add_default, migrations.RunPython.noop)]
