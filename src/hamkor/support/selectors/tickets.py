"""Reading tickets and their threads, scoped to the staff viewer or to one customer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from hamkor.accounts.models import User
from hamkor.contacts.models import Contact
from hamkor.support.models import Ticket, TicketAttachment, TicketMessage
from hamkor.support.permissions import sees_all_tickets

TICKET_RELATED = ("contact", "company", "assignee", "team")


@dataclass(frozen=True)
class TicketFilters:
    status: str = ""
    priority: str = ""
    assignee_id: int | None = None
    unassigned: bool = False
    breached: bool = False
    q: str = ""
    contact_id: int | None = None


def visible_tickets(viewer: User) -> QuerySet[Ticket]:
    """Tickets the viewer may see (see support.permissions)."""
    tickets = Ticket.objects.all()
    if sees_all_tickets(viewer):
        return tickets
    rule = Q(assignee_id=viewer.pk)
    if viewer.team_id is not None:
        rule |= Q(team_id=viewer.team_id)
    return tickets.filter(rule)


def _search(tickets: QuerySet[Ticket], term: str) -> QuerySet[Ticket]:
    term = term.strip()
    if not term:
        return tickets
    match = (
        Q(subject__icontains=term)
        | Q(contact__first_name__icontains=term)
        | Q(contact__last_name__icontains=term)
        | Q(contact__phones__number__icontains=term)
        | Q(contact__emails__email__icontains=term.lower())
    )
    number = term.removeprefix("#")
    if number.isdigit() and len(number) < 18:
        match |= Q(pk=int(number))
    ids = tickets.filter(match).values("pk")
    return tickets.filter(pk__in=ids)


def list_tickets(*, viewer: User, filters: TicketFilters | None = None) -> QuerySet[Ticket]:
    """Visible tickets, newest first; ``q`` matches the subject, #number or the customer."""
    filters = filters or TicketFilters()
    tickets = visible_tickets(viewer)
    if filters.status:
        tickets = tickets.filter(status=filters.status)
    if filters.priority:
        tickets = tickets.filter(priority=filters.priority)
    if filters.assignee_id:
        tickets = tickets.filter(assignee_id=filters.assignee_id)
    if filters.unassigned:
        tickets = tickets.filter(assignee__isnull=True)
    if filters.contact_id:
        tickets = tickets.filter(contact_id=filters.contact_id)
    if filters.breached:
        tickets = tickets.filter(
            Q(first_response_breached_at__isnull=False) | Q(resolution_breached_at__isnull=False)
        )
    tickets = _search(tickets, filters.q)
    return tickets.select_related(*TICKET_RELATED).order_by("-created_at", "-id")


def _thread(*, public_only: bool) -> Prefetch[str, QuerySet[TicketMessage]]:
    messages = TicketMessage.objects.select_related("author_user", "author_contact")
    if public_only:
        messages = messages.filter(internal=False)
    return Prefetch(
        "messages",
        queryset=messages.prefetch_related("attachments").order_by("created_at", "id"),
    )


def get_ticket(*, viewer: User, pk: int) -> Ticket:
    """One visible ticket with its whole thread (notes too); Ticket.DoesNotExist otherwise."""
    return (
        visible_tickets(viewer)
        .select_related(*TICKET_RELATED)
        .prefetch_related(_thread(public_only=False))
        .get(pk=pk)
    )


def get_attachment(*, viewer: User, pk: int) -> TicketAttachment:
    """An attachment of a visible ticket; DoesNotExist otherwise."""
    return TicketAttachment.objects.select_related("message__ticket").get(
        pk=pk, message__ticket__in=visible_tickets(viewer)
    )


# --- the customer's side ----------------------------------------------------------------


def list_customer_tickets(*, contact: Contact) -> QuerySet[Ticket]:
    """The contact's own tickets, newest first."""
    return (
        Ticket.objects.filter(contact=contact)
        .select_related("assignee")
        .order_by("-created_at", "-id")
    )


def get_customer_ticket(*, contact: Contact, ticket_uuid: uuid.UUID) -> Ticket:
    """One of the contact's tickets with its public messages only; DoesNotExist otherwise."""
    return (
        Ticket.objects.filter(contact=contact)
        .select_related("assignee")
        .prefetch_related(_thread(public_only=True))
        .get(uuid=ticket_uuid)
    )


def get_customer_attachment(*, contact: Contact, attachment_uuid: uuid.UUID) -> TicketAttachment:
    """An attachment on a public message of one of the contact's tickets; DoesNotExist else."""
    return TicketAttachment.objects.select_related("message__ticket").get(
        uuid=attachment_uuid, message__internal=False, message__ticket__contact=contact
    )


def list_breached(*, viewer: User) -> QuerySet[Ticket]:
    """Visible tickets whose first response or resolution came (or is) late, newest first."""
    return list_tickets(viewer=viewer, filters=TicketFilters(breached=True))
