"""Tickets on the customer timeline: subject, status and where they came from."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamkor.core.timeline import TimelineEntry, TimelineQuery, TimelineSource, register_source
from hamkor.support.models import Ticket, TicketStatus

CHANNEL = "ticket"
URL_PLACEHOLDER = 987654321


def _url(pk: int) -> str:
    url = reverse("support:ticket_detail", args=[URL_PLACEHOLDER])
    return url.replace(str(URL_PLACEHOLDER), str(pk), 1)


def ticket_entries(query: TimelineQuery) -> list[TimelineEntry]:
    """Tickets of the given customers, newest first."""
    if not query.contact_ids and not query.company_ids:
        return []
    if query.channel and query.channel != CHANNEL:
        return []
    match = Q()
    if query.contact_ids:
        match |= Q(contact_id__in=query.contact_ids)
    if query.company_ids:
        match |= Q(company_id__in=query.company_ids)
    tickets = (
        Ticket.objects.filter(match)
        .select_related("assignee")
        .order_by("-created_at", "-id")[: query.limit]
    )
    statuses = {value: str(label) for value, label in TicketStatus.choices}
    label = str(_("Tickets"))
    # Translators: a timeline title, e.g. "Ticket #12: My order did not arrive".
    title = _("Ticket #%(number)s: %(subject)s")
    return [
        TimelineEntry(
            occurred_at=ticket.created_at,
            kind="ticket",
            object_id=ticket.pk,
            title=title % {"number": ticket.pk, "subject": ticket.subject},
            channel=CHANNEL,
            channel_label=label,
            outcome=statuses.get(ticket.status, ticket.status),
            actor=str(ticket.assignee) if ticket.assignee else "",
            url=_url(ticket.pk),
            extra={"status": ticket.status, "priority": ticket.priority, "via": ticket.channel},
        )
        for ticket in tickets
    ]


def register() -> None:
    register_source(
        TimelineSource(
            kind="ticket",
            label=gettext_lazy("Tickets"),
            fetch=ticket_entries,
            channels=[(CHANNEL, gettext_lazy("Tickets"))],
        )
    )
