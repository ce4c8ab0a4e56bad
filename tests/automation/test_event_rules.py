import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.activities.models import Activity
from hamkor.activities.services import log_interaction
from hamkor.automation.models import RuleRun, RunStatus, Trigger
from hamkor.automation.services.actions import PERFORMERS
from hamkor.automation.tasks import run_rule_for_event
from hamkor.contacts.services import ContactInput, create_contact, update_contact
from hamkor.core.audit import record_event
from hamkor.core.models import AuditEvent
from hamkor.sales.services.deals import move_deal, update_deal
from hamkor.sales.services.orders import set_order_status
from tests.accounts.factories import UserFactory
from tests.automation.factories import RuleFactory
from tests.contacts.factories import ContactFactory, TagFactory
from tests.sales.factories import DealFactory, OrderFactory

pytestmark = pytest.mark.django_db


def tags_of(contact):
    return sorted(contact.tags.values_list("name", flat=True))


def new_contact(user, **values):
    return create_contact(data=ContactInput(values={"first_name": "Aziza", **values}), actor=user)


def test_rule_that_is_off_does_nothing(committed):
    rule = RuleFactory(enabled=False, actions=[{"type": "add_tag", "tag": "welcome"}])

    with committed():
        contact = new_contact(UserFactory())

    assert tags_of(contact) == []
    assert not RuleRun.objects.filter(rule=rule).exists()


def test_record_created_rule_acts_and_logs_the_run(committed):
    rule = RuleFactory(actions=[{"type": "add_tag", "tag": "welcome"}])

    with committed():
        contact = new_contact(UserFactory())

    assert tags_of(contact) == ["welcome"]
    run = RuleRun.objects.get(rule=rule)
    assert run.status == RunStatus.OK
    assert run.target_id == str(contact.pk)
    assert run.finished_at is not None
    assert run.steps == [{"action": "add_tag", "status": "ok", "message": "Tagged “welcome”."}]


def test_field_changed_rule_fires_only_for_the_watched_field_and_value(committed):
    RuleFactory(
        trigger=Trigger.FIELD_CHANGED,
        trigger_params={"record": "contact", "field": "stage", "to": "customer"},
        actions=[{"type": "add_tag", "tag": "bought"}],
    )
    user = UserFactory()
    contact = ContactFactory()

    with committed():
        update_contact(contact=contact, data=ContactInput(values={"city": "Samarkand"}), actor=user)
        update_contact(contact=contact, data=ContactInput(values={"stage": "prospect"}), actor=user)
    assert tags_of(contact) == []

    with committed():
        update_contact(contact=contact, data=ContactInput(values={"stage": "customer"}), actor=user)
    assert tags_of(contact) == ["bought"]


def test_unmet_condition_skips_the_run_and_says_why(committed):
    rule = RuleFactory(
        conditions=[{"field": "city", "op": "equals", "value": "Tashkent"}],
        actions=[{"type": "add_tag", "tag": "local"}],
    )

    with committed():
        far = new_contact(UserFactory(), city="Bukhara")
        near = new_contact(UserFactory(), city="tashkent")

    assert tags_of(far) == []
    assert tags_of(near) == ["local"]
    skipped = RuleRun.objects.get(rule=rule, target_id=str(far.pk))
    assert skipped.status == RunStatus.SKIPPED
    assert "Tashkent" in skipped.message


def test_tag_and_segment_conditions_read_the_contact(committed):
    TagFactory(name="vip")
    RuleFactory(
        trigger=Trigger.FIELD_CHANGED,
        trigger_params={"record": "contact", "field": "city"},
        conditions=[
            {"field": "", "op": "has_tag", "value": "vip"},
            {"field": "", "op": "in_segment", "value": "tag=vip&stage=customer"},
        ],
        actions=[{"type": "set_stage", "stage": "loyal"}],
    )
    user = UserFactory()
    vip = ContactFactory(stage="customer")
    vip.tags.set([TagFactory(name="vip")])
    plain = ContactFactory(stage="customer")

    with committed():
        for contact in (vip, plain):
            update_contact(contact=contact, data=ContactInput(values={"city": "Osh"}), actor=user)

    vip.refresh_from_db()
    plain.refresh_from_db()
    assert (vip.stage, plain.stage) == ("loyal", "customer")


def test_deal_reaching_won_creates_a_task_for_its_owner(committed):
    seller = UserFactory()
    deal = DealFactory(contact=ContactFactory(owner=seller))
    won = deal.pipeline.stages.get(name="Won")
    RuleFactory(
        trigger=Trigger.DEAL_STAGE_CHANGED,
        trigger_params={"to_stage": won.pk},
        actions=[
            {
                "type": "create_task",
                "kind": "call",
                "subject": "Thank the customer",
                "due_in_days": 1,
                "assign": "record_owner",
            }
        ],
    )

    with committed():
        move_deal(deal=deal, stage=deal.pipeline.stages.get(name="Proposal"), actor=seller)
    assert not Activity.objects.exists()

    with committed():
        move_deal(deal=deal, stage=won, actor=seller)

    task = Activity.objects.get()
    assert (task.owner, task.deal, task.subject) == (seller, deal, "Thank the customer")
    assert task.due_at > timezone.now() + datetime.timedelta(hours=23)


def test_order_paid_rule_fires_when_the_order_is_paid(committed):
    RuleFactory(
        trigger=Trigger.ORDER_PAID, trigger_params={}, actions=[{"type": "add_tag", "tag": "paid"}]
    )
    order = OrderFactory()
    user = UserFactory()

    with committed():
        set_order_status(order=order, status="confirmed", actor=user)
    assert tags_of(order.contact) == []

    with committed():
        set_order_status(order=order, status="paid", actor=user)
    assert tags_of(order.contact) == ["paid"]


def test_ticket_status_trigger_reacts_to_the_ticket_event_verb(committed):
    # Tickets arrive with the support app; any event with this verb and status fires the rule.
    RuleFactory(
        trigger=Trigger.TICKET_STATUS_CHANGED,
        trigger_params={"status": "resolved"},
        actions=[{"type": "add_tag", "tag": "helped"}],
    )
    contact = ContactFactory()

    with committed():
        record_event(actor=None, verb="ticket.status_changed", target=contact, data={"to": "open"})
    assert tags_of(contact) == []
    with committed():
        record_event(
            actor=None, verb="ticket.status_changed", target=contact, data={"to": "resolved"}
        )
    assert tags_of(contact) == ["helped"]


def test_running_the_same_event_twice_acts_once(committed):
    rule = RuleFactory(
        actions=[
            {
                "type": "create_task",
                "kind": "task",
                "subject": "Say hello",
                "assign": "record_owner",
            }
        ]
    )
    with committed():
        contact = new_contact(UserFactory())
    event = AuditEvent.objects.get(verb="contact.created", target_id=str(contact.pk))

    assert run_rule_for_event(rule.pk, event.pk).get() == "already-ran"

    assert Activity.objects.filter(contact=contact).count() == 1
    assert RuleRun.objects.filter(rule=rule).count() == 1


def test_failed_action_is_logged_and_later_actions_are_not_tried(committed):
    rule = RuleFactory(
        actions=[
            {"type": "assign_owner", "assign": "role", "role": Role.FINANCE},
            {"type": "add_tag", "tag": "assigned"},
        ]
    )

    with committed():
        contact = new_contact(UserFactory())

    run = RuleRun.objects.get(rule=rule)
    assert run.status == RunStatus.FAILED
    assert [s["status"] for s in run.steps] == ["failed", "skipped"]
    assert "finance" in run.steps[0]["message"]
    assert tags_of(contact) == []


def test_assign_by_role_takes_turns(committed):
    first, second = UserFactory(role=Role.SUPPORT), UserFactory(role=Role.SUPPORT)
    RuleFactory(actions=[{"type": "assign_owner", "assign": "role", "role": Role.SUPPORT}])
    seller = UserFactory()

    with committed():
        contacts = [new_contact(seller) for _ in range(3)]

    owners = [c.owner for c in (type(c).objects.get(pk=c.pk) for c in contacts)]
    assert owners == [first, second, first]


def test_follow_up_after_a_first_visit_only(committed):
    owner = UserFactory()
    contact = ContactFactory(owner=owner)
    RuleFactory(
        trigger=Trigger.INTERACTION_LOGGED,
        trigger_params={"channel": "visit", "first_of_channel": True},
        actions=[
            {
                "type": "create_task",
                "kind": "follow_up",
                "subject": "Follow up the first visit",
                "due_in_days": 2,
                "assign": "record_owner",
            }
        ],
    )
    cashier = UserFactory()

    with committed():
        log_interaction(
            actor=cashier, contact=contact, values={"channel": "phone", "direction": "in"}
        )
        log_interaction(
            actor=cashier, contact=contact, values={"channel": "visit", "direction": "in"}
        )
        log_interaction(
            actor=cashier, contact=contact, values={"channel": "visit", "direction": "in"}
        )

    task = Activity.objects.get()
    assert (task.owner, task.contact, task.kind) == (owner, contact, "follow_up")
    assert task.due_at.date() == (timezone.now() + datetime.timedelta(days=2)).date()


def test_rules_triggering_each_other_stop_after_a_few_links(committed):
    # Each rule's action starts the other: the chain must end, not loop forever.
    RuleFactory(
        trigger=Trigger.FIELD_CHANGED,
        trigger_params={"record": "contact", "field": "stage", "to": "prospect"},
        actions=[{"type": "set_stage", "stage": "customer"}],
    )
    RuleFactory(
        trigger=Trigger.FIELD_CHANGED,
        trigger_params={"record": "contact", "field": "stage", "to": "customer"},
        actions=[{"type": "set_stage", "stage": "prospect"}],
    )
    contact = ContactFactory()

    with committed():
        update_contact(contact=contact, data=ContactInput(values={"stage": "prospect"}), actor=None)

    assert RuleRun.objects.count() == 3


def test_role_assignment_keeps_a_record_owner_who_has_the_role(committed):
    support = UserFactory(role=Role.SUPPORT)
    UserFactory(role=Role.SUPPORT)
    RuleFactory(
        actions=[
            {
                "type": "create_task",
                "kind": "call",
                "subject": "Check in",
                "assign": "role",
                "role": Role.SUPPORT,
            }
        ]
    )

    with committed():
        new_contact(support)

    assert Activity.objects.get().owner == support


def test_deal_field_change_with_a_numeric_condition(committed):
    deal = DealFactory()
    seller = deal.owner
    RuleFactory(
        trigger=Trigger.FIELD_CHANGED,
        trigger_params={"record": "deal", "field": "amount"},
        conditions=[{"field": "amount", "op": "greater", "value": "5000"}],
        actions=[{"type": "add_tag", "tag": "big-deal"}],
    )

    with committed():
        update_deal(deal=deal, values={"amount": Decimal("3000")}, actor=seller)
    assert tags_of(deal.contact) == []
    with committed():
        update_deal(deal=deal, values={"amount": Decimal("12000")}, actor=seller)
    assert tags_of(deal.contact) == ["big-deal"]


def test_an_action_that_crashes_is_logged_as_failed(committed, monkeypatch):
    def crash(*args):
        raise RuntimeError("provider exploded")

    monkeypatch.setitem(PERFORMERS, "add_tag", crash)
    rule = RuleFactory(actions=[{"type": "add_tag", "tag": "x"}])

    with committed():
        new_contact(UserFactory())

    run = RuleRun.objects.get(rule=rule)
    assert run.status == RunStatus.FAILED
    assert run.steps[0]["message"] == "provider exploded"
