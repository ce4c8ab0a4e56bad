"""Outbound messages on the customer's timeline, with their delivery status."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamkor.core.timeline import TimelineEntry, TimelineQuery, TimelineSource, register_source
from hamkor.messaging.models import Channel, OutboundMessage, Status

KIND = "message"


def message_entries(query: TimelineQuery) -> list[TimelineEntry]:
    """Newest outbound messages of the given contacts (or their companies)."""
    if not query.contact_ids and not query.company_ids:
        return []
    if query.channel and query.channel not in Channel.values:
        return []
    match = Q()
    if query.contact_ids:
        match |= Q(contact_id__in=query.contact_ids)
    if query.company_ids:
        match |= Q(contact__company_id__in=query.company_ids)
    messages = OutboundMessage.objects.filter(match).select_related("created_by")
    if query.channel:
        messages = messages.filter(channel=query.channel)
    entries = []
    for message in messages.order_by("-created_at", "-id")[: query.limit]:
        outcome = str(message.get_status_display())
        if message.status in (Status.FAILED, Status.BLOCKED, Status.UNKNOWN) and message.error:
            # Translators: a message's status and why, e.g. "Not sent: No consent ...".
            outcome = _("%(status)s: %(reason)s") % {"status": outcome, "reason": message.error}
        elif message.status == Status.WAITING:
            outcome = _("Waiting for the allowed hours (until %(when)s)") % {
                "when": message.send_after.strftime("%Y-%m-%d %H:%M UTC")
            }
        entries.append(
            TimelineEntry(
                occurred_at=message.sent_at or message.created_at,
                kind=KIND,
                object_id=message.pk,
                title=message.subject or str(message.get_channel_display()),
                channel=message.channel,
                channel_label=str(message.get_channel_display()),
                direction=str(_("Outgoing")),
                body=message.body,
                outcome=outcome,
                actor=str(message.created_by) if message.created_by else "",
                url=reverse("contacts:detail", args=[message.contact_id])
                if message.contact_id
                else "",
                extra={"status": message.status, "error": message.error, "kind": message.kind},
            )
        )
    return entries


def register() -> None:
    register_source(
        TimelineSource(
            kind=KIND,
            label=gettext_lazy("Messages"),
            fetch=message_entries,
            channels=Channel.choices,
        )
    )
