"""The "Due soon" page and the insight panel on the contact card.

Importing this module (``SalesConfig.ready``) registers the panel and the order hook.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path
from django.views.decorators.http import require_GET

from hamkor.accounts.models import User
from hamkor.contacts.models import Contact
from hamkor.core.panels import ContactPanel, register_panel
from hamkor.sales import tasks
from hamkor.sales.selectors.insight import DUE_SOON_DAYS, get_contact_insight, list_due_soon
from hamkor.sales.signals import order_changed

PAGE_SIZE = 50
DAY_CHOICES = (1, 3, 7, 14, 30)
PANEL_TEMPLATE = "sales/_insight_panel.html"


class AuthedRequest(HttpRequest):
    user: User


def _days(raw: str | None) -> int:
    try:
        days = int(raw or DUE_SOON_DAYS)
    except ValueError:
        return DUE_SOON_DAYS
    return days if days in DAY_CHOICES else DUE_SOON_DAYS


@login_required
@require_GET
def due_soon(request: AuthedRequest) -> HttpResponse:
    """Whom to call: customers expected to buy a product again soon, soonest first."""
    days = _days(request.GET.get("days"))
    cycles = list_due_soon(viewer=request.user, days=days)
    page = Paginator(cycles, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "days": days,
        "day_choices": DAY_CHOICES,
        "base_query": f"days={days}",
    }
    return render(request, "sales/insight_due_soon.html", context)


def insight_panel_context(contact: Contact, viewer: User) -> dict[str, Any]:
    """What the insight panel shows; the contacts view has already checked visibility."""
    return {"insight": get_contact_insight(contact=contact)}


def register() -> None:
    """Show the panel on contact cards and refresh insight when an order changes."""
    register_panel(
        ContactPanel(
            key="sales-insight", template=PANEL_TEMPLATE, context=insight_panel_context, order=10
        )
    )
    order_changed.connect(tasks.on_order_changed, dispatch_uid="sales-insight-order-changed")


urlpatterns: list[URLPattern | URLResolver] = [
    path("due-soon/", due_soon, name="due_soon"),
]
