import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.activities.dispatcher import ReminderDispatcher
from hamkor.activities.models import Notification, Reminder
from hamkor.activities.services.activities import complete_activity, plan_activity, update_activity
from hamkor.activities.services.reminders import (
    email_fired_reminders,
    email_forgotten_reminders,
    fire_due_reminders,
)
from hamkor.messaging.models import OutboundMessage
from tests.accounts.factories import TeamFactory, UserFactory
from tests.contacts.factories import ContactFactory
from tests.messaging.conftest import smtp_server  # noqa: F401 - a real SMTP peer

pytestmark = pytest.mark.django_db


def plan(owner, *, due, minutes=15, **values):
    return plan_activity(
        actor=owner,
        contact=ContactFactory(owner=owner, first_name="Aziza", last_name="Karimova"),
        values={
            "kind": "call",
            "subject": "Confirm the cake",
            "due_at": due,
            "remind_minutes_before": minutes,
            **values,
        },
    )


def make_due(activity):
    """Move a reminder's time into the past, as if its moment had come."""
    Reminder.objects.filter(activity=activity).update(
        fire_at=timezone.now() - datetime.timedelta(seconds=1)
    )


@pytest.fixture
def seller():
    return UserFactory(
        role=Role.SALES,
        team=TeamFactory(name="Team A"),
        email="seller@shop.test",
        time_zone="Asia/Bishkek",
    )


def test_planning_sets_a_reminder_before_the_due_time(seller):
    due = timezone.now() + datetime.timedelta(hours=2)

    activity = plan(seller, due=due, minutes=30)

    reminder = Reminder.objects.get(activity=activity)
    assert reminder.fire_at == due - datetime.timedelta(minutes=30)
    assert reminder.user == seller


def test_moving_an_activity_moves_its_reminder_and_arms_it_again(seller):
    activity = plan(seller, due=timezone.now() + datetime.timedelta(hours=2))
    Reminder.objects.filter(activity=activity).update(fired_at=timezone.now())
    new_due = timezone.now() + datetime.timedelta(days=1)

    update_activity(activity=activity, actor=seller, values={"due_at": new_due})

    reminder = Reminder.objects.get(activity=activity)
    assert reminder.fire_at == new_due - datetime.timedelta(minutes=15)
    assert reminder.fired_at is None


def test_no_reminder_when_chosen_or_when_done(seller):
    quiet = plan(seller, due=timezone.now() + datetime.timedelta(hours=2), minutes=None)
    done = plan(seller, due=timezone.now() + datetime.timedelta(hours=2))

    complete_activity(activity=done, actor=seller, outcome="successful")

    assert not Reminder.objects.filter(activity__in=[quiet, done]).exists()


def test_fired_reminder_notifies_in_the_users_time_zone_and_emails_once(
    seller,
    smtp_server,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    # 09:00 UTC is 15:00 (3 p.m.) in Bishkek (UTC+6).
    due = datetime.datetime(2030, 5, 1, 9, 0, tzinfo=datetime.UTC)
    activity = plan(seller, due=due, location="Shop on Chui")
    make_due(activity)

    with django_capture_on_commit_callbacks(execute=True):
        fired = fire_due_reminders(worker="test")
        again = fire_due_reminders(worker="test")

    assert (fired, again) == (1, 0)
    notification = Notification.objects.get(user=seller)
    assert notification.activity == activity
    assert "3 p.m." in notification.title
    assert "Confirm the cake" in notification.title
    assert "Karimova Aziza" in notification.body
    assert "Shop on Chui" in notification.body
    message = OutboundMessage.objects.get()
    assert (message.kind, message.to_address, message.status) == ("staff", seller.email, "sent")
    assert len(smtp_server.messages) == 1
    assert "3 p.m." in smtp_server.messages[0]["Subject"]


def test_a_reminder_uses_the_owners_language_for_times(seller):
    seller.language = "ru"
    seller.save()
    activity = plan(seller, due=datetime.datetime(2030, 5, 1, 9, 0, tzinfo=datetime.UTC))
    make_due(activity)

    fire_due_reminders()

    notification = Notification.objects.get()
    assert "15:00" in notification.title
    assert "01.05.2030" in notification.body


def test_an_owner_without_email_still_gets_the_bell(seller):
    seller.email = ""
    seller.save()
    make_due(plan(seller, due=timezone.now() + datetime.timedelta(hours=1)))

    fire_due_reminders()

    assert Notification.objects.count() == 1
    assert not OutboundMessage.objects.exists()


def test_reminders_not_yet_due_are_left(seller):
    plan(seller, due=timezone.now() + datetime.timedelta(hours=1))

    assert fire_due_reminders() == 0
    assert not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_dispatchers_fire_each_reminder_once(seller):
    if connection.vendor == "sqlite":
        pytest.skip("concurrent claims are tested on PostgreSQL here; SQLite by bench/reminders.py")
    seller.email = ""
    seller.save()
    for _ in range(60):
        make_due(plan(seller, due=timezone.now() + datetime.timedelta(hours=1)))
    totals = []

    def drain():
        count = 0
        while fired := fire_due_reminders(worker=threading.current_thread().name, limit=7):
            count += fired
        totals.append(count)
        connection.close()

    threads = [threading.Thread(target=drain, name=f"w{i}") for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(totals) == 60
    assert Notification.objects.count() == 60
    assert not Reminder.objects.filter(fired_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_dispatcher_fires_a_due_reminder_within_seconds(seller):
    seller.email = ""
    seller.save()
    activity = plan(seller, due=timezone.now() + datetime.timedelta(hours=1))
    make_due(activity)
    dispatcher = ReminderDispatcher(interval=0.1)

    dispatcher.start()
    try:
        for _ in range(50):
            if Notification.objects.filter(activity=activity).exists():
                break
            threading.Event().wait(0.1)
    finally:
        dispatcher.stop()
        dispatcher.join(timeout=5)

    reminder = Reminder.objects.get(activity=activity)
    assert reminder.fired_at is not None
    assert reminder.fired_at - reminder.fire_at < datetime.timedelta(seconds=5)
    assert Notification.objects.filter(activity=activity).count() == 1


def test_bell_shows_the_unread_count_and_marking_read_clears_it(client, seller):
    make_due(plan(seller, due=timezone.now() + datetime.timedelta(hours=1)))
    fire_due_reminders()
    client.force_login(seller)

    home = client.get(reverse("home"))
    notification = Notification.objects.get()
    opened = client.post(reverse("activities:notification_read", args=[notification.pk]))
    after = client.get(reverse("activities:bell"))

    assert 'id="bell"' in home.content.decode()
    assert "1 unread" in home.content.decode()
    assert opened.status_code == 302
    assert opened.url == reverse("activities:detail", args=[notification.activity_id])
    assert "0 unread" in after.content.decode()


def test_another_users_notification_is_not_found(client, seller):
    make_due(plan(seller, due=timezone.now() + datetime.timedelta(hours=1)))
    fire_due_reminders()
    client.force_login(UserFactory(team=seller.team))

    response = client.post(
        reverse("activities:notification_read", args=[Notification.objects.get().pk])
    )

    assert response.status_code == 404
    assert Notification.objects.get().read_at is None


def test_a_worker_that_stopped_before_emailing_is_covered_by_the_sweep(seller):
    activity = plan(seller, due=timezone.now() + datetime.timedelta(hours=1))
    # Fired (bell rung) by a worker that died before queueing the email.
    Reminder.objects.filter(activity=activity).update(
        fired_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    first = email_forgotten_reminders()
    second = email_forgotten_reminders()

    assert (first, second) == (1, 0)
    assert OutboundMessage.objects.get().to_address == seller.email
    assert Reminder.objects.get(activity=activity).emailed_at is not None


def test_queueing_a_reminder_email_twice_sends_one_message(seller):
    make_due(plan(seller, due=timezone.now() + datetime.timedelta(hours=1)))
    fire_due_reminders()
    reminder = Reminder.objects.get()
    Reminder.objects.filter(pk=reminder.pk).update(emailed_at=None)

    email_fired_reminders(reminder_ids=[reminder.pk])

    assert OutboundMessage.objects.count() == 1
