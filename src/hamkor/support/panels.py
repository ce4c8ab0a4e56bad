"""The "Tickets" panel on the contact card: the latest tickets the viewer sees, a new one."""

from __future__ import annotations

from typing import Any

from hamkor.core.panels import ContactPanel, register_panel
from hamkor.support.selectors.tickets import TicketFilters, list_tickets

LATEST = 5


def tickets_panel_context(contact: Any, viewer: Any) -> dict[str, Any] | None:
    """The contact's latest visible tickets; anyone who sees the contact may open one."""
    if viewer is None:
        return None
    tickets = list(
        list_tickets(viewer=viewer, filters=TicketFilters(contact_id=contact.pk))[:LATEST]
    )
    return {"contact": contact, "tickets": tickets}


def register() -> None:
    register_panel(
        ContactPanel(
            key="tickets",
            template="support/_contact_panel.html",
            context=tickets_panel_context,
            order=40,
            lazy=True,
        )
    )
