"""The "Invoices" panel on the contact card: balance due, latest invoices, a new invoice."""

from __future__ import annotations

from typing import Any

from hamkor.billing.permissions import manages_billing, sees_invoices
from hamkor.billing.selectors.ageing import get_customer_balance
from hamkor.billing.selectors.invoices import InvoiceFilters, list_invoices
from hamkor.core.panels import ContactPanel, register_panel

LATEST = 5


def invoices_panel_context(contact: Any, viewer: Any) -> dict[str, Any] | None:
    """What the panel shows; None (no panel) for roles that see no invoices."""
    if viewer is None or not sees_invoices(viewer):
        return None
    invoices = list(
        list_invoices(viewer=viewer, filters=InvoiceFilters(contact_id=contact.pk))[:LATEST]
    )
    can_create = manages_billing(viewer)
    if not invoices and not can_create:
        return None
    return {
        "contact": contact,
        "invoices": invoices,
        "balances": sorted(get_customer_balance(viewer=viewer, contact_id=contact.pk).items()),
        "can_create": can_create,
    }


def register() -> None:
    register_panel(
        ContactPanel(
            key="invoices",
            template="billing/_contact_panel.html",
            context=invoices_panel_context,
            order=30,
            lazy=True,
        )
    )
