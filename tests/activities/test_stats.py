import datetime

import pytest
from django.urls import reverse

from hamkor.accounts.models import Role
from hamkor.activities.models import ActivityKind, ActivityOutcome
from hamkor.activities.selectors.stats import get_activity_stats
from hamkor.activities.services.activities import complete_activity
from tests.accounts.factories import TeamFactory, UserFactory
from tests.activities.factories import ActivityFactory
from tests.api.helpers import api_client
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2030, 4, 29)


def at(day_offset, hour):
    day = MONDAY + datetime.timedelta(days=day_offset)
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)


def done_meeting(owner, *, outcome, day):
    return ActivityFactory(
        contact=ContactFactory(owner=owner),
        kind=ActivityKind.MEETING,
        due_at=at(day, 8),
        done_at=at(day, 9),
        outcome=outcome,
    )


@pytest.fixture
def seller():
    return UserFactory(role=Role.SALES, team=TeamFactory(name="Team A"), username="aziz")


def test_stats_count_meetings_held_and_won_per_user(seller):
    other = UserFactory(team=seller.team, username="bobur")
    done_meeting(seller, outcome=ActivityOutcome.SUCCESSFUL, day=0)
    done_meeting(seller, outcome=ActivityOutcome.UNSUCCESSFUL, day=2)
    done_meeting(other, outcome=ActivityOutcome.SUCCESSFUL, day=3)
    done_meeting(seller, outcome=ActivityOutcome.SUCCESSFUL, day=8)  # the week after
    ActivityFactory(contact=ContactFactory(owner=seller), kind="meeting", due_at=at(1, 9))

    stats = get_activity_stats(
        viewer=UserFactory(role=Role.MANAGER),
        start=MONDAY,
        end=MONDAY + datetime.timedelta(days=7),
    )

    rows = {row.user.username: row for row in stats.users}
    assert (rows["aziz"].meetings_held, rows["aziz"].meetings_successful) == (2, 1)
    assert (rows["bobur"].meetings_held, rows["bobur"].meetings_successful) == (1, 1)
    assert (stats.meetings_held, stats.meetings_successful) == (3, 2)


def test_stats_tell_which_customers_got_a_follow_up_and_when(seller):
    meeting = done_meeting(seller, outcome=ActivityOutcome.SUCCESSFUL, day=0)
    _, follow_up = complete_activity(
        activity=ActivityFactory(contact=meeting.contact, kind="meeting", due_at=at(0, 10)),
        actor=seller,
        outcome=ActivityOutcome.SUCCESSFUL,
        done_at=at(0, 11),
        follow_up={"due_at": at(2, 9)},
    )
    complete_activity(
        activity=follow_up, actor=seller, outcome=ActivityOutcome.SUCCESSFUL, done_at=at(2, 10)
    )

    stats = get_activity_stats(viewer=seller, start=MONDAY, end=MONDAY + datetime.timedelta(days=7))

    row = stats.users[0]
    assert row.follow_up_customers == 1
    assert [(f.activity.contact, f.done_at) for f in row.follow_ups] == [
        (meeting.contact, at(2, 10))
    ]
    assert row.follow_ups[0].after == datetime.timedelta(hours=47)


def test_stats_leave_out_another_teams_activities(seller):
    done_meeting(UserFactory(team=TeamFactory(name="Team B")), outcome="successful", day=1)

    stats = get_activity_stats(viewer=seller, start=MONDAY, end=MONDAY + datetime.timedelta(days=7))

    assert stats.users == []


def test_stats_page_and_api(client, seller):
    done_meeting(seller, outcome=ActivityOutcome.SUCCESSFUL, day=1)
    client.force_login(seller)

    page = client.get(reverse("activities:stats"), {"week": "2030-05-01"})
    api = api_client(seller).get("/api/v1/activities/stats", {"week": "2030-05-01"})

    assert page.status_code == 200
    assert page.context["stats"].meetings_held == 1
    assert api.status_code == 200
    body = api.json()
    assert body["start"] == "2030-04-29"
    assert body["users"][0]["meetings_successful"] == 1


def test_stats_api_refuses_a_bad_week(seller):
    response = api_client(seller).get("/api/v1/activities/stats", {"week": "last"})

    assert response.status_code == 422
