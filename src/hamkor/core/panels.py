"""Panels on the contact card, contributed by apps the contacts app does not import.

An app registers a panel in its ``AppConfig.ready()``::

    from hamkor.core.panels import ContactPanel, register_panel
    register_panel(ContactPanel(key="insight", template="sales/_insight_panel.html",
                                context=insight_panel_context, order=10))

The contact detail view puts ``panels_for(contact, viewer)`` in its context as ``panels``
and its template includes each one::

    {% for panel in panels %}{% include panel.template with panel=panel %}{% endfor %}

The panel's template reads its own values from ``panel.context``. A panel whose context
callable returns ``None`` is left off the card (nothing to show for this contact).

A ``lazy`` panel is not computed with the card: the card holds a placeholder that asks for
``render_panel()`` right after the page has loaded (htmx), so secondary panels do not hold
up the customer's details, timeline and insight.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ContactPanel:
    key: str
    template: str
    # (contact, viewer) -> the values the template needs, or None to hide the panel.
    context: Callable[[Any, Any], dict[str, Any] | None]
    order: int = 100
    lazy: bool = False


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # True: a placeholder; the card loads the panel itself from render_panel().
    lazy: bool = False


_panels: dict[str, ContactPanel] = {}


def register_panel(panel: ContactPanel) -> None:
    """Add (or replace, for reloads) the panel with this key."""
    _panels[panel.key] = panel


def registered_panels() -> list[ContactPanel]:
    """Registered panels in display order (``order``, then ``key``)."""
    return sorted(_panels.values(), key=lambda p: (p.order, p.key))


def panels_for(contact: Any, viewer: Any) -> list[RenderedPanel]:
    """Each registered panel for this contact, as seen by ``viewer``: with its context, or
    as a placeholder when the panel is lazy."""
    rendered: list[RenderedPanel] = []
    for panel in registered_panels():
        if panel.lazy:
            rendered.append(RenderedPanel(key=panel.key, template=panel.template, lazy=True))
            continue
        context = panel.context(contact, viewer)
        if context is not None:
            rendered.append(RenderedPanel(key=panel.key, template=panel.template, context=context))
    return rendered


def render_panel(key: str, contact: Any, viewer: Any) -> RenderedPanel | None:
    """One panel with its context (lazy or not); None when it has nothing to show.

    KeyError for a key no app registered.
    """
    panel = _panels[key]
    context = panel.context(contact, viewer)
    if context is None:
        return None
    return RenderedPanel(key=panel.key, template=panel.template, context=context)
