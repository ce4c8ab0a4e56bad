"""Telling the customer about their ticket: status changes, staff replies, the CSAT question.

Messages go through the outbox (``queue_message``), in the customer's language, on the
channel the ticket came from when the customer has an address there, else by email. Each
has an idempotency key naming its event, so a retried request or task never sends twice.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from hamkor.messaging.models import Channel, Kind, OutboundMessage
from hamkor.messaging.services.outbox import contact_address, queue_message
from hamkor.support.models import Ticket, TicketMessage, TicketStatus, TicketType

# Translators: the kind of ticket inside a sentence such as "Your complaint #12 ...".
TYPE_IN_SENTENCE = {
    TicketType.QUESTION: pgettext_lazy("ticket type in a sentence", "question"),
    TicketType.REQUEST: pgettext_lazy("ticket type in a sentence", "request"),
    TicketType.COMPLAINT: pgettext_lazy("ticket type in a sentence", "complaint"),
    TicketType.SUGGESTION: pgettext_lazy("ticket type in a sentence", "suggestion"),
}


def absolute(path: str) -> str:
    """An absolute link (HAMKOR_PUBLIC_URL + path), or the path alone when it is not set."""
    base = str(getattr(settings, "HAMKOR_PUBLIC_URL", "") or "").rstrip("/")
    return f"{base}{path}"


def customer_channel(ticket: Ticket) -> str:
    """The ticket's own channel when the customer has an address on it, else email."""
    if ticket.channel in Channel.values and contact_address(ticket.contact, ticket.channel):
        return str(ticket.channel)
    return str(Channel.EMAIL)


def _names(ticket: Ticket) -> dict[str, str]:
    agent = ticket.assignee
    return {
        "kind": str(TYPE_IN_SENTENCE.get(TicketType(ticket.type), ticket.type)),
        "number": str(ticket.pk),
        "subject": ticket.subject,
        "agent": (agent.first_name or str(agent)) if agent else "",
        "link": absolute(reverse("support_portal:ticket_detail", args=[ticket.uuid])),
    }


def _status_text(ticket: Ticket, status: str) -> str:
    names = _names(ticket)
    if status == TicketStatus.OPEN and names["agent"]:
        # Translators: e.g. "Your complaint #123 is now being handled by Aziza."
        line = _("Your %(kind)s #%(number)s is now being handled by %(agent)s.") % names
    elif status == TicketStatus.OPEN:
        line = _("Your %(kind)s #%(number)s is now being handled.") % names
    elif status == TicketStatus.WAITING:
        line = (
            _(
                "We need a little more information about your %(kind)s #%(number)s. "
                "Please reply to us."
            )
            % names
        )
    elif status == TicketStatus.RESOLVED:
        line = _("Your %(kind)s #%(number)s has been resolved.") % names
    else:
        line = _("Your %(kind)s #%(number)s has been closed.") % names
    return _("%(line)s\n\n“%(subject)s”\n%(link)s") % {**names, "line": line}


def _send(ticket: Ticket, *, subject: str, body: str, key: str) -> OutboundMessage:
    return queue_message(
        channel=customer_channel(ticket),
        subject=subject,
        body=body,
        contact=ticket.contact,
        kind=Kind.TRANSACTIONAL,
        idempotency_key=key,
    )


def notify_status_changed(ticket: Ticket, *, status: str, event_id: int) -> OutboundMessage:
    """Tell the customer their ticket's new status (once per status-change event)."""
    with translation.override(ticket.contact.language or settings.LANGUAGE_CODE):
        subject = _("Your request #%(number)s: %(status)s") % {
            "number": ticket.pk,
            "status": TicketStatus(status).label,
        }
        body = _status_text(ticket, status)
    return _send(ticket, subject=subject, body=body, key=f"support:status:{event_id}")


def notify_reply(ticket: Ticket, *, message: TicketMessage) -> OutboundMessage:
    """Send a public staff reply to the customer (once per message)."""
    author = message.author_user
    with translation.override(ticket.contact.language or settings.LANGUAGE_CODE):
        names = {
            **_names(ticket),
            "author": (author.first_name or str(author)) if author else _("Support"),
            "text": message.body,
        }
        subject = _("Reply to your %(kind)s #%(number)s") % names
        body = _("%(author)s replied to your %(kind)s #%(number)s:\n\n%(text)s\n\n%(link)s") % names
    return _send(ticket, subject=subject, body=body, key=f"support:reply:{message.pk}")


def ask_satisfaction(ticket: Ticket, *, link: str) -> OutboundMessage:
    """The CSAT question with its answer link; asked once per ticket, even if re-resolved."""
    with translation.override(ticket.contact.language or settings.LANGUAGE_CODE):
        names = {**_names(ticket), "link": link}
        subject = _("How did we do with #%(number)s?") % names
        body = (
            _(
                "How satisfied are you with how we handled your %(kind)s #%(number)s? "
                "Rate us from 1 (bad) to 5 (excellent): %(link)s"
            )
            % names
        )
    return _send(ticket, subject=subject, body=body, key=f"support:csat:{ticket.pk}")
