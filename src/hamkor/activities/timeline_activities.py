"""Completed activities as a timeline source (the open ones are on the card's panel)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hamkor.activities.models import Activity
from hamkor.core.timeline import TimelineEntry, TimelineQuery, TimelineSource, register_source

KIND = "activity"


def activity_entries(query: TimelineQuery) -> list[TimelineEntry]:
    """Newest completed activities of the given contacts or companies."""
    if not query.contact_ids and not query.company_ids:
        return []
    if query.channel and query.channel != KIND:
        return []
    match = Q()
    if query.contact_ids:
        match |= Q(contact_id__in=query.contact_ids)
    if query.company_ids:
        match |= Q(company_id__in=query.company_ids)
    queryset = (
        Activity.objects.filter(match, done_at__isnull=False)
        .select_related("owner", "contact")
        .order_by("-done_at", "-id")[: query.limit]
    )
    return [
        TimelineEntry(
            occurred_at=item.done_at,
            kind=KIND,
            object_id=item.pk,
            title=item.subject,
            channel=KIND,
            channel_label=str(item.get_kind_display()),
            body=item.note,
            outcome=str(item.get_outcome_display()) if item.outcome else "",
            actor=str(item.owner) if item.owner else "",
            url=reverse("activities:detail", args=[item.pk]),
            extra={"contact": str(item.contact) if item.contact else ""},
        )
        for item in queryset
        if item.done_at is not None
    ]


def register() -> None:
    register_source(
        TimelineSource(
            kind=KIND,
            label=_("Activities"),
            fetch=activity_entries,
            channels=[(KIND, _("Activities"))],
        )
    )
