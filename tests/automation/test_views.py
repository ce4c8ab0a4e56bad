import pytest
from django.urls import reverse

from hamkor.accounts.models import Role
from hamkor.automation.models import DeliveryStatus, Rule, RuleRun, WebhookDelivery
from tests.accounts.factories import UserFactory
from tests.automation.factories import RuleFactory, WebhookEndpointFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def manager(client):
    client.force_login(UserFactory(role=Role.MANAGER))
    return client


@pytest.fixture
def seller(client):
    client.force_login(UserFactory(role=Role.SALES))
    return client


def rule_post(**overrides):
    data = {
        "name": "Welcome Osh customers",
        "description": "",
        "trigger": "record_created",
        "tp_record": "contact",
        "conditions-TOTAL_FORMS": "1",
        "conditions-INITIAL_FORMS": "0",
        "conditions-0-field": "city",
        "conditions-0-op": "equals",
        "conditions-0-value": "Osh",
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "0",
        "actions-0-type": "add_tag",
        "actions-0-tag": "osh",
        "actions-1-type": "create_task",
        "actions-1-kind": "call",
        "actions-1-task_subject": "Welcome call",
        "actions-1-due_in_days": "1",
        "actions-1-assign": "record_owner",
    }
    data.update(overrides)
    return data


def test_rule_list_shows_ready_made_rules_switched_off(seller):
    response = seller.get(reverse("automation:rule_list"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Birthday greeting" in content
    assert "Follow-up after a first visit" in content
    assert "New rule" not in content
    assert "Switch on" not in content


def test_manager_switches_a_rule_on_from_the_list(manager):
    rule = Rule.objects.get(key="birthday-greeting")

    response = manager.post(reverse("automation:rule_toggle", args=[rule.pk]), **HTMX)

    assert response.status_code == 200
    assert "Switch off" in response.content.decode()
    rule.refresh_from_db()
    assert rule.enabled


def test_seller_may_not_switch_or_build_rules(seller):
    rule = Rule.objects.get(key="birthday-greeting")

    assert seller.post(reverse("automation:rule_toggle", args=[rule.pk])).status_code == 403
    assert seller.get(reverse("automation:rule_create")).status_code == 403
    assert seller.post(reverse("automation:rule_create"), rule_post()).status_code == 403


def test_manager_builds_a_rule_with_conditions_and_actions(manager):
    response = manager.post(reverse("automation:rule_create"), rule_post())

    rule = Rule.objects.get(name="Welcome Osh customers")
    assert response.status_code == 302
    assert rule.enabled is False
    assert rule.conditions == [{"field": "city", "op": "equals", "value": "Osh"}]
    assert rule.actions == [
        {"type": "add_tag", "tag": "osh"},
        {
            "type": "create_task",
            "kind": "call",
            "subject": "Welcome call",
            "due_in_days": 1,
            "assign": "record_owner",
        },
    ]


def test_rule_form_shows_errors_beside_the_rows_and_keeps_what_was_typed(manager):
    response = manager.post(
        reverse("automation:rule_create"),
        rule_post(**{"actions-0-tag": "", "tp_record": ""}),
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Action 1: enter a tag of up to 50 characters." in content
    assert "Choose which kind of record." in content
    assert 'value="Welcome call"' in content
    assert not Rule.objects.filter(name="Welcome Osh customers").exists()


def test_editing_a_ready_made_rule_keeps_its_texts_per_language(manager):
    rule = Rule.objects.get(key="birthday-greeting")
    page = manager.get(reverse("automation:rule_edit", args=[rule.pk]))
    form = page.context["form"]
    actions = page.context["actions"]
    data = {
        "name": "Birthday wishes",
        "trigger": "date_reached",
        "tp_date": "birthday",
        "tp_days_before": "0",
        "tp_hour": "10",
        "conditions-TOTAL_FORMS": "0",
        "conditions-INITIAL_FORMS": "0",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "1",
    }
    for name, value in actions.forms[0].initial.items():
        data[f"actions-0-{name}"] = value

    response = manager.post(reverse("automation:rule_edit", args=[rule.pk]), data)

    assert form.initial["tp_hour"] == 9
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.trigger_params["hour"] == 10
    assert rule.actions[0]["bodies"]["ru"].startswith("С днём рождения")


def test_add_action_row_raises_the_form_count(manager):
    response = manager.get(reverse("automation:action_row"), {"actions-TOTAL_FORMS": "2"}, **HTMX)

    content = response.content.decode()
    assert 'name="actions-2-type"' in content
    assert 'name="actions-TOTAL_FORMS"' in content
    assert 'value="3" hx-swap-oob="true"' in content


def test_changing_an_action_type_redraws_the_row_with_its_fields(manager):
    response = manager.get(
        reverse("automation:action_row"),
        {"index": "1", "actions-1-type": "send_message"},
        **HTMX,
    )

    content = response.content.decode()
    assert 'name="actions-1-channel"' in content
    assert 'name="actions-1-template"' in content
    assert 'name="actions-1-tag"' not in content


def test_changing_the_trigger_shows_its_settings(manager):
    response = manager.get(reverse("automation:trigger_fields"), {"trigger": "no_interaction"})

    content = response.content.decode()
    assert 'name="tp_days"' in content
    assert 'name="tp_record"' not in content
    assert 'value="9"' in content


def test_rule_page_shows_the_run_log(seller):
    rule = RuleFactory(name="Tag new")
    RuleRun.objects.create(
        rule=rule,
        key="event:1",
        target_type="contacts.contact",
        target_id="7",
        target_label="Karimova Dilnoza",
        status="failed",
        message="An action failed; the ones after it were not tried.",
        steps=[{"action": "add_tag", "status": "failed", "message": "No such tag."}],
        started_at=rule.created_at,
    )

    content = seller.get(reverse("automation:rule_detail", args=[rule.pk])).content.decode()

    assert "Karimova Dilnoza" in content
    assert "Add a tag — Failed: No such tag." in content


def test_webhooks_page_shows_the_delivery_log(seller):
    endpoint = WebhookEndpointFactory(name="Accounting sync")
    WebhookDelivery.objects.create(
        endpoint=endpoint,
        key="event:5",
        event="order.status_changed",
        body="{}",
        status=DeliveryStatus.RETRYING,
        attempts=2,
        status_code=502,
        response_excerpt="Bad gateway",
        next_retry_at=endpoint.created_at,
    )

    content = seller.get(reverse("automation:webhook_list")).content.decode()

    assert "Accounting sync" in content
    assert "502" in content
    assert "Bad gateway" in content
    assert "Will retry" in content


def test_manager_adds_a_webhook_and_bad_url_is_refused(manager):
    bad = manager.post(
        reverse("automation:webhook_list"),
        {"name": "Sync", "url": "not a url", "events": "contact.created", "is_active": "on"},
    )
    good = manager.post(
        reverse("automation:webhook_list"),
        {
            "name": "Sync",
            "url": "https://example.com/hook",
            "events": "contact.created, deal.moved",
            "is_active": "on",
        },
    )

    assert bad.status_code == 200
    assert "Enter a valid URL." in bad.content.decode()
    assert good.status_code == 302
    assert WebhookEndpointFactory._meta.model.objects.get(name="Sync").events == [
        "contact.created",
        "deal.moved",
    ]


def test_manager_sends_a_failed_delivery_again_from_the_webhook_page(manager):
    endpoint = WebhookEndpointFactory(name="ERP")
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        key="event:9",
        event="deal.moved",
        body="{}",
        status=DeliveryStatus.FAILED,
        attempts=6,
        status_code=500,
    )
    page = manager.get(reverse("automation:webhook_detail", args=[endpoint.pk]))

    response = manager.post(reverse("automation:delivery_redeliver", args=[delivery.pk]))

    assert "Send again" in page.content.decode()
    assert response.status_code == 302
    delivery.refresh_from_db()
    # Queued for the worker again, with a fresh round of attempts.
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)
