import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone, translation

from hamkor.accounts.models import Role
from hamkor.activities.models import Activity
from hamkor.activities.services import log_interaction
from hamkor.automation.models import READY_MADE_TEXTS, Rule
from hamkor.automation.services import set_rule_enabled
from hamkor.automation.services.spec import clean_actions, clean_trigger
from hamkor.automation.tasks import check_time_rules
from hamkor.contacts.services import record_consent
from hamkor.messaging.models import OutboundMessage
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db

KEYS = ["birthday-greeting", "first-visit-follow-up", "re-engage-60-days"]
migration = importlib.import_module("hamkor.automation.migrations.0002_ready_made_rules")


def switch_on(key):
    rule = Rule.objects.get(key=key)
    return set_rule_enabled(rule=rule, enabled=True, actor=UserFactory(role=Role.MANAGER))


def test_ready_made_rules_are_shipped_switched_off_and_valid():
    rules = list(Rule.objects.filter(key__in=KEYS).order_by("key"))

    assert [r.key for r in rules] == sorted(KEYS)
    assert not any(r.enabled for r in rules)
    for rule in rules:
        assert clean_trigger(rule.trigger, rule.trigger_params) == rule.trigger_params
        assert clean_actions(rule.actions) == rule.actions


def test_ready_made_rules_migration_is_reversible_and_never_duplicates():
    migration.remove_rules(apps, None)
    assert not Rule.objects.filter(key__in=KEYS).exists()

    migration.add_rules(apps, None)
    migration.add_rules(apps, None)

    assert Rule.objects.filter(key__in=KEYS).count() == 3


def test_switched_on_birthday_greeting_speaks_the_customers_language(monkeypatch):
    now = datetime.datetime(2026, 7, 1, 6, 0, tzinfo=datetime.UTC)  # 11:00 in Tashkent
    monkeypatch.setattr(timezone, "now", lambda: now)
    rule = switch_on("birthday-greeting")
    contact = ContactFactory(
        first_name="Айгүл", language="ky", phone="+996555123456", birthday=datetime.date(1992, 7, 1)
    )
    record_consent(contact=contact, channel="sms", granted=True, method="in_person", actor=None)

    check_time_rules()
    check_time_rules()

    message = OutboundMessage.objects.get()
    assert message.body.startswith("Туулган күнүңүз менен, Айгүл!")
    assert rule.owner is not None


def test_switched_on_first_visit_rule_plans_a_follow_up_in_two_days(committed):
    switch_on("first-visit-follow-up")
    owner = UserFactory()
    contact = ContactFactory(owner=owner)

    with committed():
        log_interaction(
            actor=UserFactory(), contact=contact, values={"channel": "visit", "direction": "in"}
        )

    task = Activity.objects.get()
    assert (task.owner, task.kind, task.subject) == (
        owner,
        "follow_up",
        "Follow up after the first visit",
    )
    assert task.due_at.date() == (timezone.now() + datetime.timedelta(days=2)).date()


def test_ready_made_rules_show_in_the_viewers_language_until_renamed():
    rules = Rule.objects.filter(key__in=KEYS)

    assert all(r.name in READY_MADE_TEXTS for r in rules)
    assert all(r.description in READY_MADE_TEXTS for r in rules)
    with translation.override("ru"):
        renamed = Rule(key="x", name="Поздравление")
        assert renamed.display_name == "Поздравление"
