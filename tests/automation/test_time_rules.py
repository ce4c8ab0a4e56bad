import datetime

import pytest
from django.utils import timezone

from hamkor.activities.models import Activity
from hamkor.automation.models import RuleRun, RunStatus, Trigger
from hamkor.automation.tasks import check_time_rules
from hamkor.contacts.models import Contact, ImportantDate
from hamkor.contacts.services import record_consent
from hamkor.messaging.models import OutboundMessage
from tests.activities.factories import ActivityFactory, InteractionFactory
from tests.automation.factories import MessageTemplateFactory, RuleFactory
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db

# 10:30 in Tashkent (UTC+5), 00:30 in New York.
NOW = datetime.datetime(2026, 3, 15, 5, 30, tzinfo=datetime.UTC)


@pytest.fixture
def at_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


def birthday_rule(**params):
    return RuleFactory(
        trigger=Trigger.DATE_REACHED,
        trigger_params={"date": "birthday", "days_before": 0, "hour": 9, **params},
        actions=[{"type": "send_message", "channel": "sms", "template": "birthday-greeting"}],
    )


def customer(**values):
    contact = ContactFactory(phone="+998901234567", **values)
    record_consent(contact=contact, channel="sms", granted=True, method="in_person", actor=None)
    return contact


def test_birthday_greeting_is_queued_once_in_the_customers_language(at_now):
    MessageTemplateFactory(language="en", body="Happy birthday, {{ contact.first_name }}!")
    MessageTemplateFactory(language="ru", body="С днём рождения, {{ contact.first_name }}!")
    birthday_rule()
    dilnoza = customer(first_name="Дилноза", language="ru", birthday=datetime.date(1990, 3, 15))
    customer(first_name="Other", language="ru", birthday=datetime.date(1990, 3, 16))

    check_time_rules()
    check_time_rules()

    message = OutboundMessage.objects.get()
    assert (message.contact, message.channel, message.kind) == (dilnoza, "sms", "automated")
    assert message.body == "С днём рождения, Дилноза!"


def test_birthday_rule_waits_for_a_polite_hour_in_the_customers_time_zone(at_now):
    MessageTemplateFactory()
    birthday_rule()
    # It is 00:30 on 15 March in New York: too early, nothing yet.
    customer(time_zone="America/New_York", birthday=datetime.date(1985, 3, 15))

    check_time_rules()

    assert not OutboundMessage.objects.exists()
    assert not RuleRun.objects.exists()


def test_birthday_without_consent_is_logged_as_skipped_with_the_reason(at_now):
    MessageTemplateFactory()
    rule = birthday_rule()
    ContactFactory(phone="+998901234567", birthday=datetime.date(1990, 3, 15))

    check_time_rules()

    run = RuleRun.objects.get(rule=rule)
    assert run.status == RunStatus.SKIPPED
    assert "consent" in run.steps[0]["message"]


def test_switched_off_birthday_rule_sends_nothing(at_now):
    MessageTemplateFactory()
    rule = birthday_rule()
    rule.enabled = False
    rule.save()
    customer(birthday=datetime.date(1990, 3, 15))

    check_time_rules()

    assert not OutboundMessage.objects.exists()


def test_anniversary_a_day_ahead_fires_once_for_that_date(at_now):
    rule = RuleFactory(
        trigger=Trigger.DATE_REACHED,
        trigger_params={"date": "anniversary", "days_before": 1, "hour": 9},
        actions=[{"type": "add_tag", "tag": "anniversary-tomorrow"}],
    )
    contact = ContactFactory()
    ImportantDate.objects.create(
        contact=contact, kind="anniversary", date=datetime.date(2015, 3, 16)
    )

    check_time_rules()
    check_time_rules()

    assert list(contact.tags.values_list("name", flat=True)) == ["anniversary-tomorrow"]
    assert RuleRun.objects.get(rule=rule).key.endswith(":2026")


def test_no_interaction_for_60_days_plans_one_re_engagement_task(at_now):
    RuleFactory(
        trigger=Trigger.NO_INTERACTION,
        trigger_params={"days": 60, "hour": 9},
        actions=[
            {
                "type": "create_task",
                "kind": "call",
                "subject": "Call to re-engage",
                "assign": "record_owner",
            }
        ],
    )
    quiet, busy, new = ContactFactory(), ContactFactory(), ContactFactory()
    Contact.objects.filter(pk__in=[quiet.pk, busy.pk]).update(
        created_at=NOW - datetime.timedelta(days=200)
    )
    InteractionFactory(contact=quiet, occurred_at=NOW - datetime.timedelta(days=61))
    InteractionFactory(contact=busy, occurred_at=NOW - datetime.timedelta(days=10))

    check_time_rules()
    check_time_rules()

    task = Activity.objects.get()
    assert (task.contact, task.owner, task.subject) == (quiet, quiet.owner, "Call to re-engage")
    assert new.activities.count() == 0


def test_overdue_activity_trigger_fires_once_per_due_time(at_now):
    rule = RuleFactory(
        trigger=Trigger.ACTIVITY_OVERDUE,
        trigger_params={"hours": 2},
        actions=[{"type": "add_tag", "tag": "waiting"}],
    )
    late = ActivityFactory(due_at=NOW - datetime.timedelta(hours=3))
    ActivityFactory(due_at=NOW - datetime.timedelta(hours=1))

    check_time_rules()
    check_time_rules()

    run = RuleRun.objects.get(rule=rule)
    assert run.target_id == str(late.pk)
    assert list(late.contact.tags.values_list("name", flat=True)) == ["waiting"]
