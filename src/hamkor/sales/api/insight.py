"""REST API for purchase insight: one customer's insight and who is due to buy soon."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from hamkor.contacts.api import read_query, viewer_of
from hamkor.contacts.schemas import READ_ERRORS
from hamkor.contacts.selectors import get_contact
from hamkor.sales.schemas_insight import ContactInsightOut, DueSoonIn, DueSoonOut
from hamkor.sales.selectors.insight import get_contact_insight, list_due_soon

router = Router(tags=["insight"])
DUE_SOON_LIMIT = 500


@router.get("/contacts/{contact_id}", response={200: ContactInsightOut, **READ_ERRORS})
def contact_insight_view(request: HttpRequest, contact_id: int) -> dict[str, Any]:
    """Lifetime value, favourites, next purchases, recommendations and the loyalty offer."""
    contact = get_contact(viewer=viewer_of(request), pk=contact_id)
    insight = get_contact_insight(contact=contact)
    return {
        "contact_id": contact.pk,
        "is_loyal": insight.is_loyal,
        "loyalty_discount_percent": insight.loyalty_discount,
        "summary": insight.summary,
        "cycles": insight.cycles,
        "due_soon": insight.due_soon,
        "recommendations": insight.recommendations,
    }


@router.get("/due-soon", response={200: list[DueSoonOut], **READ_ERRORS})
def due_soon_view(request: HttpRequest, filters: Query[DueSoonIn]) -> list[Any]:
    """Customers expected to buy again within ``days`` (or recently overdue), soonest first."""
    read_query(request, filters)
    cycles = list_due_soon(viewer=viewer_of(request), days=filters.days)
    return list(cycles[:DUE_SOON_LIMIT])
