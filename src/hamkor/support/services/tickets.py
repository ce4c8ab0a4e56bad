"""Writes for tickets: open one, reply or note, change status, assign.

Every status change goes through ``change_status`` (the allowed moves are in ``ALLOWED``):
it keeps the timestamps and the SLA clock right, records ``ticket.status_changed`` with
``{"from": ..., "to": ...}`` (automation's "a ticket's status changes" trigger) and tells
the customer.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.models import Team, User
from hamkor.activities.services.notifications import notify_users
from hamkor.contacts.models import Contact
from hamkor.core.audit import record_event
from hamkor.support.errors import TicketStateError
from hamkor.support.models import (
    Priority,
    Ticket,
    TicketChannel,
    TicketMessage,
    TicketStatus,
    TicketType,
)
from hamkor.support.services import notify, sla
from hamkor.support.services.attachments import add_attachments, check_uploads

S = TicketStatus
ALLOWED: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.OPEN, S.WAITING, S.RESOLVED, S.CLOSED}),
    S.OPEN: frozenset({S.WAITING, S.RESOLVED, S.CLOSED}),
    S.WAITING: frozenset({S.OPEN, S.RESOLVED, S.CLOSED}),
    S.RESOLVED: frozenset({S.OPEN, S.CLOSED}),
    # Closed is final: the customer opens a new ticket instead.
    S.CLOSED: frozenset(),
}
MAX_BODY = 20_000


def _lock(ticket: Ticket) -> Ticket:
    return (
        # Only the ticket's row: PostgreSQL cannot lock the nullable side of the assignee join.
        Ticket.objects.select_for_update(of=("self",))
        .select_related("contact", "assignee")
        .get(pk=ticket.pk)
    )


def _clean_body(body: str, *, field: str = "body") -> str:
    body = body.strip()
    if not body:
        raise ValidationError({field: _("Write the message.")})
    if len(body) > MAX_BODY:
        raise ValidationError(
            {field: _("Keep the message under %(limit)d characters.") % {"limit": MAX_BODY}}
        )
    return body


@transaction.atomic
def create_ticket(
    *,
    contact: Contact,
    subject: str,
    body: str,
    actor: User | None,
    type: str = TicketType.QUESTION,
    channel: str = TicketChannel.PORTAL,
    priority: str = Priority.NORMAL,
    assignee: User | None = None,
    team: Team | None = None,
    uploads: Sequence[UploadedFile] = (),
) -> Ticket:
    """Open a ticket for the contact, its first message being the customer's words.

    ``actor`` is the staff member who typed it (a phone call), None when the customer did.
    """
    errors: dict[str, list[str]] = {}
    try:
        body = _clean_body(body)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        check_uploads(uploads)
    except ValidationError as error:
        errors.update(error.message_dict)
    now = timezone.now()
    ticket = Ticket(
        contact=contact,
        company=contact.company,
        subject=subject.strip(),
        type=type,
        channel=channel,
        priority=priority,
        assignee=assignee,
        team=team or (assignee.team if assignee else None),
    )
    try:
        ticket.full_clean(exclude=["uuid"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    sla.apply_targets(ticket, start=now)
    ticket.save()
    message = TicketMessage.objects.create(ticket=ticket, author_contact=contact, body=body)
    add_attachments(message=message, uploads=uploads)
    record_event(
        actor=actor,
        verb="ticket.created",
        target=ticket,
        data={"channel": channel, "type": type, "priority": priority},
    )
    return ticket


def _apply_status(ticket: Ticket, status: str, *, actor: User | None) -> None:
    """Move a locked ticket to ``status``, record it and tell the customer."""
    old = ticket.status
    if status not in S.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status == old:
        raise TicketStateError(
            _("The ticket is %(status)s already.") % {"status": S(old).label.lower()}
        )
    if status not in ALLOWED[old]:
        raise TicketStateError(
            _("A ticket that is %(from)s cannot become %(to)s.")
            % {"from": S(old).label.lower(), "to": S(status).label.lower()}
        )
    now = timezone.now()
    if old == S.WAITING:
        sla.resume_clock(ticket, now=now)
    if status == S.WAITING:
        sla.pause_clock(ticket, now=now)
    if status == S.RESOLVED:
        ticket.resolved_at = now
    elif status == S.CLOSED:
        ticket.closed_at = now
    elif status == S.OPEN:
        ticket.resolved_at = None
    ticket.status = status
    ticket.save()
    event = record_event(
        actor=actor, verb="ticket.status_changed", target=ticket, data={"from": old, "to": status}
    )
    notify.notify_status_changed(ticket, status=status, event_id=event.pk)
    if status == S.RESOLVED:
        from hamkor.support.services.csat import send_satisfaction_question

        send_satisfaction_question(ticket)


@transaction.atomic
def change_status(*, ticket: Ticket, status: str, actor: User | None) -> Ticket:
    """Move the ticket to another status if ``ALLOWED``; TicketStateError otherwise."""
    locked = _lock(ticket)
    _apply_status(locked, status, actor=actor)
    return locked


@transaction.atomic
def assign_ticket(
    *, ticket: Ticket, assignee: User | None, actor: User, team: Team | None = None
) -> Ticket:
    """Give the ticket to someone (and their team, unless another is named); None unassigns.

    Assigning a new ticket opens it, so the customer hears who is handling it.
    """
    if assignee is not None and not assignee.is_active:
        raise ValidationError({"assignee": _("Choose an active user.")})
    locked = _lock(ticket)
    before = (locked.assignee_id, locked.team_id)
    locked.assignee = assignee
    locked.team = team or (assignee.team if assignee else locked.team)
    if (locked.assignee_id, locked.team_id) == before:
        return locked
    locked.save(update_fields=["assignee", "team", "updated_at"])
    record_event(
        actor=actor,
        verb="ticket.assigned",
        target=locked,
        data={"assignee": locked.assignee_id, "team": locked.team_id},
    )
    if assignee is not None and assignee.pk != actor.pk:
        notify_users(
            users=[assignee],
            kind="ticket_assigned",
            title=_("Ticket #%(number)s is yours") % {"number": locked.pk},
            body=locked.subject,
            url=reverse("support:ticket_detail", args=[locked.pk]),
            dedupe_key=f"support:assigned:{locked.pk}:{timezone.now().isoformat()}",
        )
    if assignee is not None and locked.status == S.NEW:
        _apply_status(locked, S.OPEN, actor=actor)
    return locked


@transaction.atomic
def change_priority(*, ticket: Ticket, priority: str, actor: User) -> Ticket:
    """Set another priority and move the due times to its targets (see sla.retarget)."""
    if priority not in Priority.values:
        raise ValidationError({"priority": _("Choose a priority.")})
    locked = _lock(ticket)
    old = locked.priority
    if priority == old:
        return locked
    sla.retarget(locked, old_priority=old, new_priority=priority, now=timezone.now())
    locked.priority = priority
    locked.save(
        update_fields=["priority", "first_response_due_at", "resolution_due_at", "updated_at"]
    )
    record_event(
        actor=actor,
        verb="ticket.priority_changed",
        target=locked,
        data={"from": old, "to": priority},
    )
    return locked


@transaction.atomic
def add_staff_message(
    *,
    ticket: Ticket,
    body: str,
    actor: User,
    internal: bool = False,
    uploads: Sequence[UploadedFile] = (),
) -> TicketMessage:
    """A public reply (sent to the customer; the first one stops the first-response clock)
    or an internal note (never shown to the customer)."""
    body = _clean_body(body)
    check_uploads(uploads)
    locked = _lock(ticket)
    if locked.status == S.CLOSED and not internal:
        raise TicketStateError(
            _("The ticket is closed; the customer can no longer be answered here.")
        )
    message = TicketMessage.objects.create(
        ticket=locked, author_user=actor, body=body, internal=internal
    )
    add_attachments(message=message, uploads=uploads)
    if not internal and locked.first_response_at is None:
        locked.first_response_at = message.created_at
        locked.save(update_fields=["first_response_at", "updated_at"])
    record_event(
        actor=actor,
        verb="ticket.noted" if internal else "ticket.replied",
        target=locked,
        data={"message": message.pk},
    )
    if not internal:
        notify.notify_reply(locked, message=message)
    return message


@transaction.atomic
def add_customer_reply(
    *, ticket: Ticket, contact: Contact, body: str, uploads: Sequence[UploadedFile] = ()
) -> TicketMessage:
    """The customer answers on their ticket; a resolved or waiting ticket opens again."""
    body = _clean_body(body)
    check_uploads(uploads)
    locked = _lock(ticket)
    if locked.contact_id != contact.pk:
        raise Ticket.DoesNotExist
    if locked.status == S.CLOSED:
        raise TicketStateError(_("This request is closed. Please open a new one."))
    message = TicketMessage.objects.create(ticket=locked, author_contact=contact, body=body)
    add_attachments(message=message, uploads=uploads)
    record_event(
        actor=None, verb="ticket.customer_replied", target=locked, data={"message": message.pk}
    )
    if locked.status in (S.RESOLVED, S.WAITING):
        _apply_status(locked, S.OPEN, actor=None)
    if locked.assignee_id is not None and locked.assignee is not None:
        notify_users(
            users=[locked.assignee],
            kind="ticket_reply",
            title=_("The customer replied on #%(number)s") % {"number": locked.pk},
            body=body[:300],
            url=reverse("support:ticket_detail", args=[locked.pk]),
            dedupe_key=f"support:customer-reply:{message.pk}",
        )
    return message
