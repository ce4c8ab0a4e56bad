"""The "RFM" panel on the contact card: scores, group, what it means, orders and value."""

from __future__ import annotations

from typing import Any

from hamkor.analytics.rfm import EXPLANATIONS
from hamkor.analytics.selectors import get_contact_rfm
from hamkor.contacts.models import Contact
from hamkor.core.currency import base_currency
from hamkor.core.money import format_money
from hamkor.core.panels import ContactPanel, register_panel


def rfm_panel_context(contact: Any, viewer: Any) -> dict[str, Any] | None:
    """What the panel shows; None (no panel) for contacts without counted orders."""
    if viewer is None:
        return None
    try:
        score = get_contact_rfm(viewer=viewer, contact_id=contact.pk)
    except Contact.DoesNotExist:
        return None
    if score is None:
        return None
    return {
        "score": score,
        "explanation": EXPLANATIONS[score.group],
        "lifetime_value": format_money(score.lifetime_value, base_currency()),
    }


def register() -> None:
    register_panel(
        ContactPanel(
            key="rfm",
            template="analytics/_contact_panel.html",
            context=rfm_panel_context,
            order=25,
        )
    )
