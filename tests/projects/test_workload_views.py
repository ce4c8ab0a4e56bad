"""Workload and risk pages."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.projects.models import WorkCapacity
from tests.accounts.factories import TeamFactory, UserFactory
from tests.projects.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    team = TeamFactory(name="Design")
    busy = UserFactory(username="busy", team=team)
    UserFactory(username="free", team=team)
    TaskFactory(assignee=busy, estimate_hours=Decimal(50), due_date=timezone.localdate())
    return team


def test_workload_page_marks_weeks_over_capacity(client, team):
    client.force_login(UserFactory(role=Role.MANAGER))

    page = client.get(reverse("projects:workload"), {"team": team.pk, "weeks": 2}).content.decode()

    assert 'data-user="busy"' in page
    assert 'data-user="free"' in page
    assert "data-over" in page
    assert "over capacity" in page
    assert ">50<" in page


def test_workload_page_for_others_shows_only_their_row(client, team):
    client.force_login(team.members.get(username="free"))

    page = client.get(reverse("projects:workload"), {"team": team.pk}).content.decode()

    assert 'data-user="free"' in page
    assert 'data-user="busy"' not in page
    assert "weekly_hours" not in page


def test_workload_page_by_htmx_answers_the_table_alone(client, team):
    client.force_login(UserFactory(role=Role.MANAGER))

    response = client.get(reverse("projects:workload"), {"weeks": 1}, HTTP_HX_REQUEST="true")

    assert response.content.decode().startswith('<div id="workload-table"')


def test_workload_page_survives_bad_parameters(client, team):
    client.force_login(UserFactory(role=Role.MANAGER))

    response = client.get(reverse("projects:workload"), {"weeks": "lots", "team": "x"})

    assert response.status_code == 200


def test_capacity_form_saves_a_persons_hours(client, team):
    client.force_login(UserFactory(role=Role.MANAGER))
    free = team.members.get(username="free")

    response = client.post(reverse("projects:capacity", args=[free.pk]), {"weekly_hours": "20"})

    assert response.status_code == 302
    assert WorkCapacity.objects.get(user=free).weekly_hours == Decimal(20)


def test_capacity_form_is_for_managers_only(client, team):
    free = team.members.get(username="free")
    client.force_login(free)

    response = client.post(reverse("projects:capacity", args=[free.pk]), {"weekly_hours": "80"})

    assert response.status_code == 403


def test_risk_page_polls_for_a_fresh_list(client):
    TaskFactory(title="Late logo", due_date=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(UserFactory(role=Role.MANAGER))

    page = client.get(reverse("projects:risks")).content.decode()
    partial = client.get(reverse("projects:risks"), HTTP_HX_REQUEST="true").content.decode()

    assert 'hx-trigger="every 30s"' in page
    assert "Late logo" in page
    assert partial.startswith('<div id="risk-list"')
    assert "Late logo" in partial


def test_risk_page_is_for_managers_only(client):
    client.force_login(UserFactory(role=Role.SALES))

    assert client.get(reverse("projects:risks")).status_code == 403
