"""`hamkor rebuild_time_totals`."""

import io

import pytest
from django.core.management import call_command

from hamkor.projects.models import TaskTimeTotal
from tests.projects.factories import TimeEntryFactory

pytestmark = pytest.mark.django_db


def test_rebuild_time_totals_command_restores_lost_totals():
    entry = TimeEntryFactory(minutes=40)
    TaskTimeTotal.objects.all().delete()
    out = io.StringIO()

    call_command("rebuild_time_totals", stdout=out)

    assert TaskTimeTotal.objects.get(task=entry.task).minutes == 40
    assert "1 task rows" in out.getvalue()
