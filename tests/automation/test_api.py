import pytest

from hamkor.accounts.models import Role
from hamkor.automation.models import Rule, RuleRun
from tests.accounts.factories import UserFactory
from tests.api.helpers import api_client, send
from tests.automation.factories import RuleFactory

pytestmark = pytest.mark.django_db

RULES = "/api/v1/automation/rules"


@pytest.fixture
def manager():
    return api_client(UserFactory(role=Role.MANAGER))


@pytest.fixture
def seller():
    return api_client(UserFactory(role=Role.SALES))


def test_rules_api_lists_ready_made_rules_switched_off(seller):
    response = seller.get(RULES)

    assert response.status_code == 200
    by_key = {r["key"]: r for r in response.json()["items"] if r["key"]}
    assert by_key["birthday-greeting"]["enabled"] is False
    assert by_key["birthday-greeting"]["trigger"] == "date_reached"


def test_manager_switches_a_rule_on_and_a_seller_may_not(manager, seller):
    rule = Rule.objects.get(key="re-engage-60-days")

    refused = send(seller, "post", f"{RULES}/{rule.pk}/toggle", {"enabled": True})
    done = send(manager, "post", f"{RULES}/{rule.pk}/toggle", {"enabled": True})

    assert refused.status_code == 403
    assert done.status_code == 200
    assert done.json()["enabled"] is True
    rule.refresh_from_db()
    assert rule.enabled


def test_create_rule_checks_its_parts(manager):
    response = send(
        manager,
        "post",
        RULES,
        {
            "name": "Tag newcomers",
            "trigger": "record_created",
            "trigger_params": {"record": "planet"},
            "actions": [{"type": "add_tag"}],
        },
    )

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"trigger_params", "actions"}
    assert "Action 1" in errors["actions"][0]


def test_create_rule_then_read_its_runs(manager):
    created = send(
        manager,
        "post",
        RULES,
        {
            "name": "Tag newcomers",
            "trigger": "record_created",
            "trigger_params": {"record": "contact"},
            "actions": [{"type": "add_tag", "tag": "new"}],
            "enabled": True,
        },
    )
    rule = Rule.objects.get(pk=created.json()["id"])
    RuleRun.objects.create(
        rule=rule,
        key="event:1",
        target_type="contacts.contact",
        target_id="1",
        status="ok",
        started_at=rule.created_at,
    )

    runs = manager.get(f"{RULES}/{rule.pk}/runs")

    assert created.status_code == 201
    assert created.json()["enabled"] is True
    assert runs.json()["count"] == 1
    assert runs.json()["items"][0]["status"] == "ok"


def test_rules_api_says_404_for_a_missing_rule_and_422_for_bad_toggle(manager):
    rule = RuleFactory()

    assert manager.get(f"{RULES}/999999/runs").status_code == 404
    assert (
        send(manager, "post", f"{RULES}/{rule.pk}/toggle", {"enabled": "maybe"}).status_code == 422
    )
