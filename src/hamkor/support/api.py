"""REST API for tickets: list, open, read, reply or note, change status, assign.

Visibility follows the staff rule (support, managers and administrators see every ticket;
others their own and their team's); another's ticket answers 404. A status change the
ticket's status does not allow answers 409.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from hamkor.accounts.models import User
from hamkor.accounts.selectors import list_assignable_users
from hamkor.contacts.api import read_query, viewer_of
from hamkor.contacts.schemas import READ_ERRORS, WRITE_ERRORS
from hamkor.contacts.selectors import get_contact
from hamkor.core.paging import list_page
from hamkor.support.errors import TicketStateError
from hamkor.support.models import Ticket, TicketChannel, TicketMessage
from hamkor.support.schemas import (
    AssignIn,
    MessageIn,
    MessageOut,
    PriorityIn,
    StatusIn,
    TicketCreateIn,
    TicketDetailOut,
    TicketFilterIn,
    TicketListOut,
)
from hamkor.support.selectors.tickets import TicketFilters, get_ticket, list_tickets
from hamkor.support.services import (
    add_staff_message,
    assign_ticket,
    change_priority,
    change_status,
    create_ticket,
)

router = Router(tags=["support"])

P = ParamSpec("P")
R = TypeVar("R")


def _answers(view: Callable[P, R]) -> Callable[P, R]:
    """A status the ticket does not allow answers 409 with a ``detail``."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return view(*args, **kwargs)
        except TicketStateError as error:
            raise HttpError(409, " ".join(error.messages)) from None

    return wrapper


def _ticket(request: HttpRequest, pk: int) -> Ticket:
    return get_ticket(viewer=viewer_of(request), pk=pk)


def _assignee(request: HttpRequest, pk: int | None) -> User | None:
    if pk is None:
        return None
    try:
        return list_assignable_users(viewer=viewer_of(request)).get(pk=pk)
    except ObjectDoesNotExist:
        raise ValidationError(
            {"assignee_id": _("There is no user with id %(id)s you may assign to.") % {"id": pk}}
        ) from None


@router.get(
    "/tickets",
    response={200: TicketListOut, **READ_ERRORS},
    summary="List tickets",
    description="Tickets you may see, newest first.",
)
def list_tickets_view(request: HttpRequest, filters: Query[TicketFilterIn]) -> dict[str, Any]:
    read_query(request, filters)
    tickets = list_tickets(
        viewer=viewer_of(request),
        filters=TicketFilters(
            status=filters.status or "",
            priority=filters.priority or "",
            assignee_id=filters.assignee_id,
            contact_id=filters.contact_id,
            breached=bool(filters.breached),
            q=filters.q or "",
        ),
    )
    return list_page(tickets, offset=filters.offset, limit=filters.limit)


@router.post(
    "/tickets",
    response={201: TicketDetailOut, **WRITE_ERRORS},
    summary="Open a ticket",
    description="For a contact you can see (a phone call, say); the body is their request.",
)
def create_ticket_view(request: HttpRequest, payload: TicketCreateIn) -> Status[Ticket]:
    viewer = viewer_of(request)
    try:
        contact = get_contact(viewer=viewer, pk=payload.contact_id, include_archived=False)
    except ObjectDoesNotExist:
        raise ValidationError(
            {
                "contact_id": _("There is no contact with id %(id)s that you can see.")
                % {"id": payload.contact_id}
            }
        ) from None
    assignee = _assignee(request, payload.assignee_id)
    with transaction.atomic():
        ticket = create_ticket(
            contact=contact,
            subject=payload.subject,
            body=payload.body,
            actor=viewer,
            type=payload.type or "question",
            channel=payload.channel or TicketChannel.PHONE,
            priority=payload.priority or "normal",
        )
        if assignee is not None:
            assign_ticket(ticket=ticket, assignee=assignee, actor=viewer)
    return Status(201, get_ticket(viewer=viewer, pk=ticket.pk))


@router.get(
    "/tickets/{ticket_id}",
    response={200: TicketDetailOut, **READ_ERRORS},
    summary="Get a ticket with its thread",
)
def get_ticket_view(request: HttpRequest, ticket_id: int) -> Ticket:
    return _ticket(request, ticket_id)


@router.post(
    "/tickets/{ticket_id}/messages",
    response={201: MessageOut, **WRITE_ERRORS},
    summary="Reply to the customer or add an internal note",
    description="A public reply goes to the customer on their channel; a note never does.",
)
@_answers
def post_message_view(
    request: HttpRequest, ticket_id: int, payload: MessageIn
) -> Status[TicketMessage]:
    message = add_staff_message(
        ticket=_ticket(request, ticket_id),
        body=payload.body,
        actor=viewer_of(request),
        internal=payload.internal,
    )
    return Status(201, message)


@router.post(
    "/tickets/{ticket_id}/status",
    response={200: TicketDetailOut, **WRITE_ERRORS},
    summary="Change a ticket's status",
    description=(
        "new → open, waiting, resolved, closed; open → waiting, resolved, closed; waiting → "
        "open, resolved, closed; resolved → open, closed; closed is final (409)."
    ),
)
@_answers
def change_status_view(request: HttpRequest, ticket_id: int, payload: StatusIn) -> Ticket:
    ticket = _ticket(request, ticket_id)
    change_status(ticket=ticket, status=payload.status, actor=viewer_of(request))
    return _ticket(request, ticket_id)


@router.post(
    "/tickets/{ticket_id}/assign",
    response={200: TicketDetailOut, **WRITE_ERRORS},
    summary="Assign a ticket",
    description="To someone you may assign to (their team comes along); null unassigns.",
)
@_answers
def assign_view(request: HttpRequest, ticket_id: int, payload: AssignIn) -> Ticket:
    ticket = _ticket(request, ticket_id)
    assign_ticket(
        ticket=ticket,
        assignee=_assignee(request, payload.assignee_id),
        actor=viewer_of(request),
    )
    return _ticket(request, ticket_id)


@router.post(
    "/tickets/{ticket_id}/priority",
    response={200: TicketDetailOut, **WRITE_ERRORS},
    summary="Change a ticket's priority",
    description="The SLA due times move to the new priority's targets.",
)
def change_priority_view(request: HttpRequest, ticket_id: int, payload: PriorityIn) -> Ticket:
    ticket = _ticket(request, ticket_id)
    change_priority(ticket=ticket, priority=payload.priority, actor=viewer_of(request))
    return _ticket(request, ticket_id)
