"""Reads for interactions, scoped through the customer the viewer may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from hamkor.accounts.models import User
from hamkor.activities.models import Interaction
from hamkor.contacts.models import Company, Contact
from hamkor.contacts.selectors import visible


def _visible_interactions(viewer: User) -> QuerySet[Interaction]:
    queryset = Interaction.objects.all()
    if viewer.sees_everything:
        return queryset
    contacts = visible(Contact.objects.all(), viewer).values("pk")
    companies = visible(Company.objects.all(), viewer).values("pk")
    return queryset.filter(Q(contact__in=contacts) | Q(company__in=companies))


def list_interactions(
    *,
    viewer: User,
    contact_id: int | None = None,
    company_id: int | None = None,
    channel: str = "",
) -> QuerySet[Interaction]:
    """Interactions the viewer may see, newest first."""
    queryset = _visible_interactions(viewer)
    if contact_id is not None:
        queryset = queryset.filter(contact_id=contact_id)
    if company_id is not None:
        queryset = queryset.filter(company_id=company_id)
    if channel:
        queryset = queryset.filter(channel=channel)
    return queryset.select_related("contact", "company", "created_by").order_by(
        "-occurred_at", "-id"
    )


def get_interaction(*, viewer: User, pk: int) -> Interaction:
    """One interaction; raises Interaction.DoesNotExist when not visible."""
    return (
        _visible_interactions(viewer).select_related("contact", "company", "created_by").get(pk=pk)
    )


def count_interactions_since(*, viewer: User, days: int = 7) -> int:
    import datetime

    from django.utils import timezone

    since = timezone.now() - datetime.timedelta(days=days)
    return _visible_interactions(viewer).filter(occurred_at__gte=since).count()
