import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from hamkor.accounts.models import Role
from hamkor.activities.models import Activity, ActivityOutcome
from tests.accounts.factories import TeamFactory, UserFactory
from tests.activities.factories import ActivityFactory
from tests.contacts.cards import open_card
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db

BISHKEK = zoneinfo.ZoneInfo("Asia/Bishkek")


@pytest.fixture
def user(client):
    user = UserFactory(role=Role.SALES, team=TeamFactory(name="Team A"), time_zone="Asia/Bishkek")
    client.force_login(user)
    return user


@pytest.fixture
def stranger():
    return UserFactory(role=Role.SALES, team=TeamFactory(name="Team B"))


def test_another_teams_activity_is_not_found(client, user, stranger):
    activity = ActivityFactory(contact=ContactFactory(owner=stranger))

    assert client.get(reverse("activities:detail", args=[activity.pk])).status_code == 404
    response = client.post(
        reverse("activities:complete", args=[activity.pk]), {"outcome": "successful"}
    )
    assert response.status_code == 404


def test_plan_activity_for_a_contact_from_the_form(client, user):
    contact = ContactFactory(owner=user)

    response = client.post(
        reverse("activities:create") + f"?contact={contact.pk}",
        {
            "contact": contact.pk,
            "kind": "meeting",
            "subject": "Tasting",
            "due_at": "2030-05-01T15:00",
            "duration_minutes": "60",
            "location": "Shop",
            "remind_minutes_before": "15",
            "owner": user.pk,
        },
    )

    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.contact == contact
    # Typed in the user's own time zone (Bishkek, UTC+6).
    assert activity.due_at == datetime.datetime(2030, 5, 1, 9, 0, tzinfo=datetime.UTC)


def test_plan_activity_form_keeps_input_and_shows_errors(client, user):
    response = client.post(
        reverse("activities:create"),
        {"kind": "call", "subject": "Call back", "due_at": "tomorrow", "owner": user.pk},
    )

    assert response.status_code == 200
    assert "due_at" in response.context["form"].errors
    assert 'value="Call back"' in response.content.decode()
    assert not Activity.objects.exists()


def test_plan_activity_for_an_invisible_contact_is_not_found(client, user, stranger):
    contact = ContactFactory(owner=stranger)

    response = client.get(reverse("activities:create") + f"?contact={contact.pk}")

    assert response.status_code == 404


def test_complete_with_follow_up_from_one_form(client, user):
    activity = ActivityFactory(contact=ContactFactory(owner=user), subject="Cake tasting")

    response = client.post(
        reverse("activities:complete", args=[activity.pk]),
        {
            "outcome": "successful",
            "note": "Ordered",
            "follow_up": "on",
            "follow_up_kind": "call",
            "follow_up_due_at": "2030-05-02T10:00",
        },
    )

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.outcome == ActivityOutcome.SUCCESSFUL
    follow_up = Activity.objects.get(follow_up_of=activity)
    assert follow_up.kind == "call"
    assert follow_up.due_at == datetime.datetime(2030, 5, 2, 4, 0, tzinfo=datetime.UTC)


def test_complete_with_follow_up_but_no_time_saves_nothing(client, user):
    activity = ActivityFactory(contact=ContactFactory(owner=user))

    response = client.post(
        reverse("activities:complete", args=[activity.pk]),
        {"outcome": "successful", "follow_up": "on", "follow_up_due_at": ""},
    )

    assert response.status_code == 422
    assert "follow_up_due_at" in response.context["complete_form"].errors
    activity.refresh_from_db()
    assert activity.done_at is None


def test_week_calendar_shows_activities_in_the_viewers_time_zone(client, user):
    # 20:30 UTC on Monday is 02:30 on Tuesday in Bishkek.
    due = datetime.datetime(2030, 4, 29, 20, 30, tzinfo=datetime.UTC)
    ActivityFactory(contact=ContactFactory(owner=user), subject="Late call", due_at=due)

    response = client.get(reverse("activities:calendar"), {"view": "week", "date": "2030-04-29"})

    assert response.status_code == 200
    days = {day.date: day.activities for day in response.context["grid"].days}
    assert [a.subject for a in days[datetime.date(2030, 4, 30)]] == ["Late call"]
    assert days[datetime.date(2030, 4, 29)] == []
    assert "02:30" in response.content.decode()


def test_month_calendar_is_padded_to_whole_weeks(client, user):
    response = client.get(reverse("activities:calendar"), {"view": "month", "date": "2030-05-15"})

    grid = response.context["grid"]
    assert grid.weeks[0][0].date == datetime.date(2030, 4, 29)
    assert all(len(week) == 7 for week in grid.weeks)
    assert grid.weeks[-1][-1].date == datetime.date(2030, 6, 2)


def test_team_calendar_shows_teammates_activities(client, user):
    mate = UserFactory(team=user.team)
    ActivityFactory(
        contact=ContactFactory(owner=mate),
        subject="Mate's meeting",
        # A fixed midday: "now + 1 hour" fell on tomorrow after 23:00 in the viewer's zone.
        due_at=datetime.datetime(2030, 5, 2, 7, 0, tzinfo=datetime.UTC),
    )

    response = client.get(
        reverse("activities:calendar"),
        {"view": "day", "date": "2030-05-02", "team": user.team_id},
    )

    assert "Mate&#x27;s meeting" in response.content.decode()


def test_another_teams_calendar_is_not_found(client, user, stranger):
    response = client.get(reverse("activities:calendar"), {"team": stranger.team_id})

    assert response.status_code == 404


def test_home_shows_my_day_and_overdue_count(client, user):
    contact = ContactFactory(owner=user)
    ActivityFactory(contact=contact, subject="Today's call", due_at=timezone.now())
    ActivityFactory(
        contact=contact, subject="Forgotten", due_at=timezone.now() - datetime.timedelta(days=3)
    )

    response = client.get(reverse("home"))

    assert [a.subject for a in response.context["my_day"]] == ["Today's call"]
    assert response.context["overdue_count"] == 2
    assert "Today&#x27;s call" in response.content.decode()


def test_overdue_list_shows_open_past_activities_only(client, user):
    contact = ContactFactory(owner=user)
    past = timezone.now() - datetime.timedelta(hours=2)
    ActivityFactory(contact=contact, subject="Missed", due_at=past)
    ActivityFactory(
        contact=contact, subject="Done", due_at=past, done_at=past, outcome="successful"
    )

    response = client.get(reverse("activities:overdue"))

    assert [a.subject for a in response.context["activities"]] == ["Missed"]


def test_contact_card_shows_planned_activities(client, user):
    contact = ContactFactory(owner=user)
    ActivityFactory(contact=contact, subject="Deliver the cake")

    page = open_card(client, reverse("contacts:detail", args=[contact.pk]))

    assert "Deliver the cake" in page
    assert f"{reverse('activities:create')}?contact={contact.pk}" in page


def test_completed_activity_is_on_the_timeline(client, user):
    contact = ContactFactory(owner=user)
    ActivityFactory(
        contact=contact,
        subject="Tasting held",
        done_at=timezone.now(),
        outcome="successful",
    )

    response = client.get(
        reverse("activities:contact_timeline", args=[contact.pk]), HTTP_HX_REQUEST="true"
    )

    assert "Tasting held" in response.content.decode()


def test_calendar_feed_is_a_valid_icalendar_with_utc_times(client, user):
    due = datetime.datetime(2030, 5, 1, 9, 0, tzinfo=datetime.UTC)
    activity = ActivityFactory(
        contact=ContactFactory(owner=user),
        subject="Tasting",
        kind="meeting",
        due_at=timezone.now().replace(microsecond=0) + datetime.timedelta(days=1),
        duration_minutes=45,
        location="Amir Temur 1",
        note="Bring samples",
    )
    ActivityFactory(contact=ContactFactory(), subject="Someone else's", due_at=due)

    response = client.post(reverse("activities:regenerate_feed"))
    url = response.context["new_feed_url"]
    client.logout()
    feed = client.get(url)

    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(feed.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["UID"]) == f"activity-{activity.pk}@hamkor"
    assert event.decoded("DTSTART") == activity.due_at
    assert event.decoded("DTSTART").utcoffset() == datetime.timedelta(0)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(minutes=45)
    assert "DTSTAMP" in event
    assert str(event["SUMMARY"]) == "Meeting: Tasting"
    assert str(event["LOCATION"]) == "Amir Temur 1"
    assert "Bring samples" in str(event["DESCRIPTION"])


def test_regenerating_the_feed_revokes_the_old_address(client, user):
    old_url = client.post(reverse("activities:regenerate_feed")).context["new_feed_url"]
    new_url = client.post(reverse("activities:regenerate_feed")).context["new_feed_url"]

    assert client.get(old_url).status_code == 404
    assert client.get(new_url).status_code == 200


def test_unknown_feed_token_is_not_found(client):
    response = client.get(reverse("activities:calendar_feed", args=["guess"]))

    assert response.status_code == 404
