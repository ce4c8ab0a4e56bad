"""Ship three ready-made rules, switched off: birthday greeting, first-visit follow-up,
and re-engagement after 60 quiet days. Keys keep a second run from duplicating them."""

from django.db import migrations

BIRTHDAY_TEXTS = {
    "en": "Happy birthday, {{ contact.first_name }}! Wishing you joy and good health. "
    "{{ organisation.name }}",
    "ru": "С днём рождения, {{ contact.first_name }}! Желаем радости и крепкого здоровья. "
    "{{ organisation.name }}",
    "uz": "Tug'ilgan kuningiz bilan, {{ contact.first_name }}! Sizga quvonch va sihat-salomatlik "
    "tilaymiz. {{ organisation.name }}",
    "ky": "Туулган күнүңүз менен, {{ contact.first_name }}! Сизге кубаныч жана бекем ден соолук "
    "каалайбыз. {{ organisation.name }}",
}

READY_MADE = [
    {
        "key": "birthday-greeting",
        "name": "Birthday greeting",
        "description": "On a customer's birthday, from 09:00 their time, send a greeting by SMS "
        "(the message template “birthday-greeting” if there is one, else the text below).",
        "trigger": "date_reached",
        "trigger_params": {"date": "birthday", "days_before": 0, "hour": 9},
        "verb": "",
        "conditions": [],
        "actions": [
            {
                "type": "send_message",
                "channel": "sms",
                "template": "birthday-greeting",
                "subject": "",
                "bodies": BIRTHDAY_TEXTS,
            }
        ],
    },
    {
        "key": "first-visit-follow-up",
        "name": "Follow-up after a first visit",
        "description": "When a customer visits for the first time, plan a follow-up for their "
        "owner in two days.",
        "trigger": "interaction_logged",
        "trigger_params": {"channel": "visit", "first_of_channel": True},
        "verb": "interaction.created",
        "conditions": [],
        "actions": [
            {
                "type": "create_task",
                "kind": "follow_up",
                "subject": "Follow up after the first visit",
                "due_in_days": 2,
                "assign": "record_owner",
            }
        ],
    },
    {
        "key": "re-engage-60-days",
        "name": "No contact in 60 days: re-engage",
        "description": "When nobody has talked to a customer for 60 days, plan a call for their "
        "owner.",
        "trigger": "no_interaction",
        "trigger_params": {"days": 60, "hour": 9},
        "verb": "",
        "conditions": [],
        "actions": [
            {
                "type": "create_task",
                "kind": "call",
                "subject": "Re-engage: no contact in 60 days",
                "due_in_days": 0,
                "assign": "record_owner",
            }
        ],
    },
]


def add_rules(apps, schema_editor):
    Rule = apps.get_model("automation", "Rule")
    for values in READY_MADE:
        fields = {k: v for k, v in values.items() if k != "key"}
        Rule.objects.get_or_create(key=values["key"], defaults={**fields, "enabled": False})


def remove_rules(apps, schema_editor):
    Rule = apps.get_model("automation", "Rule")
    Rule.objects.filter(key__in=[values["key"] for values in READY_MADE]).delete()


class Migration(migrations.Migration):
    dependencies = [("automation", "0001_rules_and_webhooks")]

    operations = [migrations.RunPython(add_rules, remove_rules)]
