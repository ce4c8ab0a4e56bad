"""SLA: due times from the priority's policy, the paused resolution clock, and breaches.

Choice: while a ticket waits for the customer its resolution clock stands still (the
customer holds it up, not us); the first-response clock never pauses. When the ticket
leaves "waiting", the resolution due time moves on by the working minutes it was paused
(exactly: the working minutes that were left at the pause are counted again from now).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hamkor.accounts.models import Role, User
from hamkor.activities.services.notifications import notify_users
from hamkor.core.audit import record_event
from hamkor.support.calendar import due_after, minutes_between
from hamkor.support.models import (
    ACTIVE_STATUSES,
    Priority,
    SlaPolicy,
    Ticket,
    TicketStatus,
    WorkingCalendar,
)

# Working minutes (first response, resolution) for a priority without a policy row.
DEFAULT_TARGETS: dict[str, tuple[int, int]] = {
    Priority.URGENT: (30, 4 * 60),
    Priority.HIGH: (60, 8 * 60),
    Priority.NORMAL: (4 * 60, 16 * 60),
    Priority.LOW: (8 * 60, 40 * 60),
}


def targets_for(priority: str) -> tuple[int, int]:
    """(first-response minutes, resolution minutes) for a priority."""
    policy = SlaPolicy.objects.filter(priority=priority).first()
    if policy is not None:
        return policy.first_response_minutes, policy.resolution_minutes
    return DEFAULT_TARGETS.get(priority, DEFAULT_TARGETS[Priority.NORMAL])


def apply_targets(ticket: Ticket, *, start: datetime.datetime) -> None:
    """Set the ticket's due times from its priority, counted from ``start`` (not saved)."""
    first, resolution = targets_for(ticket.priority)
    ticket.first_response_due_at = due_after(start, first)
    ticket.resolution_due_at = due_after(start, resolution)


def pause_clock(ticket: Ticket, *, now: datetime.datetime) -> None:
    """Stop the resolution clock (the ticket now waits for the customer); not saved."""
    ticket.paused_at = now


def resume_clock(ticket: Ticket, *, now: datetime.datetime) -> None:
    """Restart the resolution clock, moving the due time on by the paused time; not saved."""
    paused, due = ticket.paused_at, ticket.resolution_due_at
    ticket.paused_at = None
    if paused is None or due is None or due <= paused:
        # Already late when it was paused: the breach stands, the due time with it.
        return
    ticket.resolution_due_at = due_after(now, minutes_between(paused, due))


def retarget(
    ticket: Ticket, *, old_priority: str, new_priority: str, now: datetime.datetime
) -> None:
    """Move the due times to another priority's targets; not saved.

    The first response is due its new target after the ticket came in (that clock never
    pauses). For resolution, the working time already spent (the old target minus what was
    left) counts against the new target, so time spent waiting for the customer stays
    uncounted; a paused clock keeps standing still.
    """
    _old_first, old_resolution = targets_for(old_priority)
    new_first, new_resolution = targets_for(new_priority)
    ticket.first_response_due_at = due_after(ticket.created_at, new_first)
    due = ticket.resolution_due_at
    if due is None:
        ticket.resolution_due_at = due_after(ticket.created_at, new_resolution)
        return
    since = ticket.paused_at or now
    left = minutes_between(since, due) if due > since else -minutes_between(due, since)
    spent = old_resolution - left
    ticket.resolution_due_at = due_after(since, max(new_resolution - spent, 0))


# --- settings ---------------------------------------------------------------------------


@transaction.atomic
def save_policies(*, targets: Mapping[str, tuple[int, int]], actor: User) -> list[SlaPolicy]:
    """Store the targets of each priority given; minutes must be 1 or more."""
    errors: dict[str, str] = {}
    policies = []
    for priority, (first, resolution) in targets.items():
        if priority not in Priority.values:
            errors[priority] = _("Choose a priority.")
            continue
        if first < 1 or resolution < 1:
            errors[priority] = _("Targets are at least one working minute.")
            continue
        if resolution < first:
            errors[priority] = _("Resolution cannot be due before the first response.")
            continue
        policy = SlaPolicy.objects.filter(priority=priority).first() or SlaPolicy(priority=priority)
        policy.first_response_minutes, policy.resolution_minutes = first, resolution
        policy.full_clean()
        policies.append(policy)
    if errors:
        raise ValidationError(errors)
    for policy in policies:
        policy.save()
        record_event(
            actor=actor,
            verb="sla.policy_changed",
            target=policy,
            data={"first": policy.first_response_minutes, "resolution": policy.resolution_minutes},
        )
    return policies


@transaction.atomic
def save_working_calendar(
    *, time_zone: str, hours: Mapping[int, tuple[datetime.time, datetime.time] | None], actor: User
) -> WorkingCalendar:
    """Store the organisation's week: per weekday (0 = Monday) opening hours or None (off)."""
    import zoneinfo

    errors: dict[str, str] = {}
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = _("“%(value)s” is not a known time zone.") % {"value": time_zone}
    stored: dict[str, list[str]] = {}
    for day, span in sorted(hours.items()):
        if span is None:
            continue
        if span[0] >= span[1]:
            errors[f"day_{day}"] = _("The day must end after it starts.")
            continue
        stored[str(day)] = [span[0].strftime("%H:%M"), span[1].strftime("%H:%M")]
    if not errors and not stored:
        errors["__all__"] = _("Give at least one working day.")
    if errors:
        raise ValidationError(errors)
    calendar = WorkingCalendar.objects.select_for_update().order_by("pk").first()
    calendar = calendar or WorkingCalendar()
    calendar.time_zone, calendar.hours = time_zone, stored
    calendar.full_clean()
    calendar.save()
    record_event(actor=actor, verb="sla.calendar_changed", target=calendar, data={"hours": stored})
    return calendar


# --- breaches ---------------------------------------------------------------------------


def _managers_for(ticket: Ticket) -> list[User]:
    managers = User.objects.filter(is_active=True, role=Role.MANAGER).order_by("pk")
    if ticket.team_id is not None:
        of_team = list(managers.filter(team_id=ticket.team_id))
        if of_team:
            return of_team
    return list(managers)


def _escalate(ticket: Ticket, *, kind: str) -> None:
    url = reverse("support:ticket_detail", args=[ticket.pk])
    for manager in _managers_for(ticket):
        with translation.override(manager.language or None):
            if kind == "first_response":
                title = _("Ticket #%(number)s had no first response in time") % {
                    "number": ticket.pk
                }
            else:
                title = _("Ticket #%(number)s was not resolved in time") % {"number": ticket.pk}
            notify_users(
                users=[manager],
                kind="sla_breach",
                title=title,
                body=ticket.subject,
                url=url,
                dedupe_key=f"support:breach:{kind}:{ticket.pk}",
            )


def flag_breaches(*, now: datetime.datetime | None = None) -> int:
    """Mark tickets whose first response or resolution is late, and escalate each once.

    Safe to run twice and from several workers: a ticket is flagged by a conditional
    UPDATE, and only the worker whose UPDATE changed the row escalates it.
    """
    now = now or timezone.now()
    flagged = 0
    late_first = Ticket.objects.filter(
        first_response_at__isnull=True,
        first_response_breached_at__isnull=True,
        first_response_due_at__lt=now,
        status__in=ACTIVE_STATUSES,
    ).order_by("pk")
    for ticket in late_first.select_related("team"):
        won = Ticket.objects.filter(pk=ticket.pk, first_response_breached_at__isnull=True).update(
            first_response_breached_at=now
        )
        if won:
            flagged += 1
            record_event(
                actor=None,
                verb="ticket.sla_breached",
                target=ticket,
                data={"kind": "first_response"},
            )
            _escalate(ticket, kind="first_response")
    # A waiting ticket's clock stands still: it cannot run late meanwhile.
    late_resolution = Ticket.objects.filter(
        Q(status__in=(TicketStatus.NEW, TicketStatus.OPEN)),
        resolution_breached_at__isnull=True,
        resolution_due_at__lt=now,
    ).order_by("pk")
    for ticket in late_resolution.select_related("team"):
        won = Ticket.objects.filter(pk=ticket.pk, resolution_breached_at__isnull=True).update(
            resolution_breached_at=now
        )
        if won:
            flagged += 1
            record_event(
                actor=None, verb="ticket.sla_breached", target=ticket, data={"kind": "resolution"}
            )
            _escalate(ticket, kind="resolution")
    return flagged


def remaining_minutes(
    ticket: Ticket, *, now: datetime.datetime | None = None
) -> dict[str, int | None]:
    """Working minutes left to each target (negative: late by), None when met or not running."""
    now = now or timezone.now()
    left: dict[str, int | None] = {"first_response": None, "resolution": None}
    if ticket.first_response_at is None and ticket.first_response_due_at is not None:
        due = ticket.first_response_due_at
        left["first_response"] = (
            minutes_between(now, due) if due > now else -minutes_between(due, now)
        )
    if ticket.status in ACTIVE_STATUSES and ticket.resolution_due_at is not None:
        since = ticket.paused_at or now
        due = ticket.resolution_due_at
        left["resolution"] = (
            minutes_between(since, due) if due > since else -minutes_between(due, since)
        )
    return left


__all__: Sequence[str] = [
    "DEFAULT_TARGETS",
    "apply_targets",
    "flag_breaches",
    "pause_clock",
    "remaining_minutes",
    "resume_clock",
    "retarget",
    "save_policies",
    "save_working_calendar",
    "targets_for",
]
