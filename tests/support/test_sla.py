"""Breaches: flagged once, listed, escalated to a manager once; settings validated."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.activities.models import Notification
from hamkor.support.models import SlaPolicy, Ticket, TicketStatus, WorkingCalendar
from hamkor.support.selectors.tickets import list_breached
from hamkor.support.services import add_staff_message, change_status
from hamkor.support.services.sla import (
    flag_breaches,
    save_policies,
    save_working_calendar,
    targets_for,
)
from tests.accounts.factories import TeamFactory, UserFactory
from tests.support.factories import open_ticket

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(days=60)


def test_flag_breaches_marks_a_late_first_response_and_escalates_once(customer, agent):
    manager = UserFactory(role=Role.MANAGER, team=agent.team)
    other_manager = UserFactory(role=Role.MANAGER, team=TeamFactory(name="Sales"))
    ticket = open_ticket(customer, assignee=agent)

    assert flag_breaches(now=timezone.now() + LATER) == 2  # first response and resolution
    assert flag_breaches(now=timezone.now() + LATER) == 0

    ticket.refresh_from_db()
    assert ticket.first_response_breached_at is not None
    assert ticket.resolution_breached_at is not None
    notices = Notification.objects.filter(kind="sla_breach")
    assert sorted(n.title for n in notices.filter(user=manager)) == [
        f"Ticket #{ticket.pk} had no first response in time",
        f"Ticket #{ticket.pk} was not resolved in time",
    ]
    assert not notices.filter(user=other_manager).exists()


def test_flag_breaches_goes_to_all_managers_when_the_team_has_none(customer):
    managers = [UserFactory(role=Role.MANAGER), UserFactory(role=Role.MANAGER)]
    open_ticket(customer)

    flag_breaches(now=timezone.now() + LATER)

    for manager in managers:
        assert Notification.objects.filter(user=manager, kind="sla_breach").count() == 2


def test_a_timely_first_response_is_no_breach(customer, agent):
    ticket = open_ticket(customer)
    add_staff_message(ticket=ticket, body="On it.", actor=agent)

    flag_breaches(now=timezone.now() + LATER)

    ticket.refresh_from_db()
    assert ticket.first_response_breached_at is None
    assert ticket.resolution_breached_at is not None


def test_a_ticket_waiting_for_the_customer_does_not_run_late(customer, agent):
    ticket = open_ticket(customer)
    add_staff_message(ticket=ticket, body="Which order?", actor=agent)
    change_status(ticket=ticket, status=TicketStatus.WAITING, actor=agent)

    flag_breaches(now=timezone.now() + LATER)

    ticket.refresh_from_db()
    assert ticket.resolution_breached_at is None


def test_resolved_tickets_are_not_flagged(customer, agent):
    ticket = open_ticket(customer)
    change_status(ticket=ticket, status=TicketStatus.RESOLVED, actor=agent)

    assert flag_breaches(now=timezone.now() + LATER) == 0


def test_list_breached_shows_only_late_tickets(customer, agent):
    late = open_ticket(customer)
    fine = open_ticket(customer)
    Ticket.objects.filter(pk=fine.pk).update(
        first_response_due_at=timezone.now() + 2 * LATER,
        resolution_due_at=timezone.now() + 2 * LATER,
    )

    flag_breaches(now=timezone.now() + LATER)

    assert list(list_breached(viewer=agent)) == [late]


def test_save_policies_changes_the_targets(agent):
    save_policies(targets={"urgent": (15, 120)}, actor=agent)

    assert targets_for("urgent") == (15, 120)
    assert SlaPolicy.objects.count() == 1


def test_save_policies_refuses_resolution_before_first_response(agent):
    with pytest.raises(ValidationError) as error:
        save_policies(targets={"high": (120, 60)}, actor=agent)

    assert "high" in error.value.message_dict
    assert not SlaPolicy.objects.exists()


def test_save_working_calendar_refuses_an_unknown_zone_and_an_empty_week(agent):
    with pytest.raises(ValidationError) as error:
        save_working_calendar(time_zone="Mars/Olympus", hours={0: None}, actor=agent)

    assert "time_zone" in error.value.message_dict
    assert not WorkingCalendar.objects.exists()


def test_save_working_calendar_stores_the_week(agent):
    nine, six = datetime.time(9), datetime.time(18)

    save_working_calendar(
        time_zone="Asia/Bishkek", hours={0: (nine, six), 5: (nine, datetime.time(13))}, actor=agent
    )

    calendar = WorkingCalendar.objects.get()
    assert calendar.hours == {"0": ["09:00", "18:00"], "5": ["09:00", "13:00"]}


def test_raising_the_priority_brings_the_due_times_forward(customer, agent):
    from hamkor.support.services import change_priority

    # Around the clock, so working minutes are plain minutes.
    WorkingCalendar.objects.create(
        time_zone="UTC", hours={str(day): ["00:00", "23:59:59"] for day in range(7)}
    )
    ticket = open_ticket(customer, priority="low")
    low_due = ticket.resolution_due_at

    change_priority(ticket=ticket, priority="urgent", actor=agent)

    ticket.refresh_from_db()
    urgent_first, urgent_resolution = targets_for("urgent")
    assert ticket.resolution_due_at < low_due
    expected = ticket.created_at + datetime.timedelta(minutes=urgent_resolution)
    assert abs(ticket.resolution_due_at - expected) < datetime.timedelta(minutes=3)
    expected_first = ticket.created_at + datetime.timedelta(minutes=urgent_first)
    assert abs(ticket.first_response_due_at - expected_first) < datetime.timedelta(minutes=2)


def test_changing_the_priority_keeps_waiting_time_uncounted(customer, agent):
    from hamkor.support.services import change_priority

    WorkingCalendar.objects.create(
        time_zone="UTC", hours={str(day): ["00:00", "23:59:59"] for day in range(7)}
    )
    ticket = open_ticket(customer, priority="normal")  # 16 h to resolve
    paused = timezone.now()
    # Waiting for the customer with 10 of the 16 hours left: 6 hours were spent.
    Ticket.objects.filter(pk=ticket.pk).update(
        status=TicketStatus.WAITING,
        paused_at=paused,
        resolution_due_at=paused + datetime.timedelta(hours=10),
    )

    change_priority(ticket=ticket, priority="high", actor=agent)  # 8 h to resolve

    ticket.refresh_from_db()
    assert ticket.paused_at == paused
    expected = paused + datetime.timedelta(hours=2)  # 8 h minus the 6 h spent
    assert abs(ticket.resolution_due_at - expected) < datetime.timedelta(minutes=3)
