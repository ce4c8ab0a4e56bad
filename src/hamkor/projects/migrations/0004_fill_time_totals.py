"""Fill the time totals from the entries logged before the totals existed."""

from django.db import migrations
from django.db.models import DecimalField, ExpressionWrapper, F, Sum


def fill(apps, schema_editor):
    TimeEntry = apps.get_model("projects", "TimeEntry")
    ProjectTimeTotal = apps.get_model("projects", "ProjectTimeTotal")
    TaskTimeTotal = apps.get_model("projects", "TaskTimeTotal")
    finished = TimeEntry.objects.filter(ended_at__isnull=False, minutes__isnull=False).order_by()
    cost = ExpressionWrapper(
        F("minutes") * F("rate"), output_field=DecimalField(max_digits=24, decimal_places=2)
    )
    ProjectTimeTotal.objects.bulk_create(
        [
            ProjectTimeTotal(
                project_id=row["project_id"],
                billable=row["billable"],
                currency=row["currency"],
                minutes=row["total"] or 0,
                rate_minutes=row["cost"] or 0,
            )
            for row in finished.values("project_id", "billable", "currency").annotate(
                total=Sum("minutes"), cost=Sum(cost)
            )
        ],
        batch_size=2000,
    )
    TaskTimeTotal.objects.bulk_create(
        [
            TaskTimeTotal(task_id=row["task_id"], minutes=row["total"] or 0)
            for row in finished.filter(task__isnull=False)
            .values("task_id")
            .annotate(total=Sum("minutes"))
        ],
        batch_size=5000,
    )


def empty(apps, schema_editor):
    apps.get_model("projects", "ProjectTimeTotal").objects.all().delete()
    apps.get_model("projects", "TaskTimeTotal").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_time_totals")]

    operations = [migrations.RunPython(fill, empty)]
