"""Keeping scores fresh: a changed order re-scores its contact; `hamkor rfm` rebuilds."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from hamkor.analytics import tasks
from hamkor.analytics.models import Refresh, RfmScore
from hamkor.sales.signals import order_changed
from tests.analytics.helpers import order, today
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_order_changed_rescores_its_contact():
    contact = ContactFactory()
    placed = order(contact, today() - datetime.timedelta(days=1), total="300000")

    order_changed.send(sender=type(placed), order_id=placed.pk)

    score = RfmScore.objects.get(contact=contact)
    assert (score.orders, str(score.lifetime_value)) == (1, "300000.00")


def test_order_changed_for_a_missing_order_does_nothing():
    tasks.on_order_changed(None, order_id=987654)

    assert not RfmScore.objects.exists()


def test_rfm_command_rebuilds_and_reports():
    order(ContactFactory(), today())
    out = StringIO()

    call_command("rfm", stdout=out)

    assert "1 orders, 1 customers." in out.getvalue()
    assert RfmScore.objects.count() == 1
    assert Refresh.objects.get().with_rfm


def test_periodic_tasks_run_twice_safely():
    order(ContactFactory(), today())

    tasks.refresh_analytics_nightly.call_local()
    tasks.refresh_figures_hourly.call_local()
    tasks.refresh_figures_hourly.call_local()

    assert RfmScore.objects.count() == 1
    assert Refresh.objects.count() == 1
