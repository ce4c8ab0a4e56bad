"""Messages customers send by email, SMS or Telegram become tickets (or replies on one).

The messaging app stores each inbound message and logs it as an interaction; once that is
committed, ``on_event_recorded`` queues ``ticket_from_inbound`` for it. A message from a
customer with an active (or just resolved) ticket on the same channel is added to that
ticket, which reopens it, and so is an email answering one of the ticket's messages
(whatever channel the ticket came by); otherwise it opens a new ticket that came by that channel, so
the answer goes back on it. Each inbound message lands on at most one ticket message.
Switch off with ``HAMKOR_SUPPORT_TICKETS_FROM_MESSAGES=0`` in settings.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hamkor.contacts.models import Contact
from hamkor.core.models import AuditEvent
from hamkor.messaging.models import InboundMessage
from hamkor.support.models import Ticket, TicketMessage, TicketStatus
from hamkor.support.services.tickets import add_customer_reply, create_ticket

logger = logging.getLogger(__name__)

# Statuses whose ticket takes a new message from the customer instead of a new ticket.
CONTINUED = (TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.WAITING, TicketStatus.RESOLVED)
SUBJECT_LENGTH = 80


def enabled() -> bool:
    return bool(getattr(settings, "HAMKOR_SUPPORT_TICKETS_FROM_MESSAGES", True))


def _subject(inbound: InboundMessage) -> str:
    text = (inbound.subject or inbound.body).strip().splitlines()
    first = text[0] if text else ""
    if len(first) > SUBJECT_LENGTH:
        first = first[: SUBJECT_LENGTH - 1].rstrip() + "…"
    return first or _("Message from the customer")


def _ticket_replied_to(inbound: InboundMessage, contact: Contact) -> Ticket | None:
    """The ticket whose message (a reply, a status note, the CSAT question) this answers."""
    outbound = inbound.reply_to_outbound
    key = outbound.idempotency_key if outbound is not None else ""
    kind, _sep, ref = key.removeprefix("support:").partition(":")
    if not key.startswith("support:") or not ref.isdigit():
        return None
    tickets = Ticket.objects.filter(contact=contact, status__in=CONTINUED)
    if kind == "reply":
        return tickets.filter(messages__pk=int(ref)).first()
    if kind == "csat":
        return tickets.filter(pk=int(ref)).first()
    if kind == "status":
        event = AuditEvent.objects.filter(pk=int(ref), target_type="support.ticket").first()
        return tickets.filter(pk=event.target_id).first() if event else None
    return None


def _open_ticket_for(inbound: InboundMessage, contact: Contact) -> Ticket | None:
    replied_to = _ticket_replied_to(inbound, contact)
    if replied_to is not None:
        return replied_to
    return (
        Ticket.objects.filter(contact=contact, channel=inbound.channel, status__in=CONTINUED)
        .order_by("-created_at", "-id")
        .first()
    )


def ticket_from_inbound(*, inbound_id: int) -> TicketMessage | None:
    """Put one inbound message on a ticket; None when it is on one already (safe to rerun)."""
    inbound = (
        InboundMessage.objects.select_related("contact", "reply_to_outbound")
        .filter(pk=inbound_id)
        .first()
    )
    if inbound is None or inbound.contact is None or not inbound.body.strip():
        return None
    contact = inbound.contact
    if TicketMessage.objects.filter(inbound=inbound).exists():
        return None
    try:
        with transaction.atomic():
            ticket = _open_ticket_for(inbound, contact)
            if ticket is not None:
                message = add_customer_reply(ticket=ticket, contact=contact, body=inbound.body)
            else:
                ticket = create_ticket(
                    contact=contact,
                    subject=_subject(inbound),
                    body=inbound.body,
                    actor=None,
                    channel=inbound.channel,
                )
                message = ticket.messages.get()
            TicketMessage.objects.filter(pk=message.pk).update(inbound=inbound)
    except IntegrityError:
        # Another worker put this message on a ticket a moment ago.
        return None
    message.inbound = inbound
    return message


def on_event_recorded(sender: Any, *, verb: str, target_id: str, **kwargs: Any) -> None:
    """After an interaction is logged: if it is an inbound message, make it a ticket."""
    if verb != "interaction.created" or not enabled():
        return
    inbound = InboundMessage.objects.filter(interaction_id=target_id).values("pk").first()
    if inbound is None:
        return
    from hamkor.support.tasks import make_ticket_from_inbound

    make_ticket_from_inbound(inbound["pk"])
