"""Interactions as a timeline source."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from hamkor.activities.models import Channel, Interaction
from hamkor.core.timeline import TimelineEntry, TimelineQuery, TimelineSource, register_source


def interaction_entries(query: TimelineQuery) -> list[TimelineEntry]:
    """Newest interactions of the given contacts or companies."""
    if not query.contact_ids and not query.company_ids:
        return []
    if query.channel and query.channel not in Channel.values:
        return []
    match = Q()
    if query.contact_ids:
        match |= Q(contact_id__in=query.contact_ids)
    if query.company_ids:
        match |= Q(company_id__in=query.company_ids)
    queryset = Interaction.objects.filter(match).select_related("created_by", "contact")
    if query.channel:
        queryset = queryset.filter(channel=query.channel)
    entries = []
    for item in queryset.order_by("-occurred_at", "-id")[: query.limit]:
        entries.append(
            TimelineEntry(
                occurred_at=item.occurred_at,
                kind="interaction",
                object_id=item.pk,
                title=item.subject or str(item.get_channel_display()),
                channel=item.channel,
                channel_label=str(item.get_channel_display()),
                direction=str(item.get_direction_display()),
                body=item.body,
                outcome=str(item.get_outcome_display()) if item.outcome else "",
                actor=str(item.created_by) if item.created_by else "",
                url=reverse("contacts:detail", args=[item.contact_id]) if item.contact_id else "",
                extra={"contact": str(item.contact) if item.contact else ""},
            )
        )
    return entries


def register() -> None:
    register_source(
        TimelineSource(
            kind="interaction",
            label=Interaction._meta.verbose_name_plural or "interactions",
            fetch=interaction_entries,
            channels=Channel.choices,
        )
    )
