"""A rule on "a ticket's status changes" runs for the support app's status events."""

import pytest

from hamkor.automation.models import RuleRun, RunStatus, Trigger
from hamkor.support.models import TicketStatus
from hamkor.support.services import change_status, create_ticket
from tests.automation.factories import RuleFactory

pytestmark = pytest.mark.django_db


def test_ticket_status_rule_tags_the_customer(committed, customer, agent):
    rule = RuleFactory(
        trigger=Trigger.TICKET_STATUS_CHANGED,
        trigger_params={"status": "resolved"},
        actions=[{"type": "add_tag", "tag": "helped"}],
    )
    ticket = create_ticket(contact=customer, subject="Late", body="Where is it?", actor=None)

    with committed():
        change_status(ticket=ticket, status=TicketStatus.OPEN, actor=agent)
    assert not RuleRun.objects.filter(rule=rule).exists()

    with committed():
        change_status(ticket=ticket, status=TicketStatus.RESOLVED, actor=agent)

    run = RuleRun.objects.get(rule=rule)
    assert run.status == RunStatus.OK
    assert run.target_id == str(ticket.pk)
    assert list(customer.tags.values_list("name", flat=True)) == ["helped"]
