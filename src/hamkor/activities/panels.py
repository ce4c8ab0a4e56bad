"""The activities panel on the contact card."""

from __future__ import annotations

from hamkor.activities.views.activities import contact_panel_context
from hamkor.core.panels import ContactPanel, register_panel


def register() -> None:
    register_panel(
        ContactPanel(
            key="activities",
            template="activities/_contact_panel.html",
            context=contact_panel_context,
            order=20,
            lazy=True,
        )
    )
