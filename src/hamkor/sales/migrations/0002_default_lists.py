from django.db import migrations

PAYMENT_TYPES = ["Cash", "Card", "Bank transfer", "Payme", "Click", "Uzum", "Other"]
STAGES = [("New", 10, "open"), ("Qualified", 25, "open"), ("Proposal", 50, "open"),
          ("Negotiation", 75, "open"), ("Won", 100, "won"), ("Lost", 0, "lost")]


def add_defaults(apps, schema_editor):
    PaymentType = apps.get_model("sales", "PaymentType")
    for position, name in enumerate(PAYMENT_TYPES):
        PaymentType.objects.get_or_create(name=name, defaults={"position": position})
    Pipeline = apps.get_model("sales", "Pipeline")
    PipelineStage = apps.get_model("sales", "PipelineStage")
    pipeline, created = Pipeline.objects.get_or_create(name="Sales", defaults={"position": 0})
    if created:
        for position, (name, probability, outcome) in enumerate(STAGES):
            PipelineStage.objects.create(
                pipeline=pipeline, name=name, position=position, probability=probability, outcome=outcome
            )
    LoyaltyRule = apps.get_model("sales", "LoyaltyRule")
    if not LoyaltyRule.objects.exists():
        LoyaltyRule.objects.create()


class Migration(migrations.Migration):
    dependencies = [("sales", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
