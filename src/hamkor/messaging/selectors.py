"""Reads for messaging, scoped to what the viewer may see."""

from __future__ import annotations

from django.db.models import QuerySet

from hamkor.accounts.models import User
from hamkor.contacts.models import Contact
from hamkor.contacts.selectors import visible
from hamkor.messaging.models import InboundMessage, MessageTemplate, OutboundMessage


def list_contact_messages(*, viewer: User, contact: Contact) -> QuerySet[OutboundMessage]:
    """A contact's outbound messages, newest first; none if the viewer may not see them."""
    # Scoped in the same query: callers already loaded the contact through get_contact,
    # and loading it again (with its prefetches) cost the contact card six queries.
    return (
        OutboundMessage.objects.filter(
            contact__in=visible(Contact.objects.filter(pk=contact.pk), viewer)
        )
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def get_message(*, viewer: User, pk: int) -> OutboundMessage:
    """One message to a contact the viewer may see; raises DoesNotExist otherwise."""
    contacts = visible(Contact.objects.all(), viewer)
    return OutboundMessage.objects.select_related("contact").get(pk=pk, contact__in=contacts)


def list_template_choices(*, channel: str = "") -> list[tuple[str, str]]:
    """(key, name) of active templates usable on a channel, one row per key, by name."""
    queryset = MessageTemplate.objects.filter(is_active=True)
    if channel:
        queryset = queryset.filter(channel__in=[channel, ""])
    seen: dict[str, str] = {}
    for key, name in queryset.order_by("name", "key").values_list("key", "name"):
        seen.setdefault(key, name)
    return list(seen.items())


def get_latest_inbound_email(*, contact: Contact) -> InboundMessage | None:
    """The contact's last email to us: replies from the card thread under it."""
    return (
        InboundMessage.objects.filter(contact=contact, channel="email")
        .order_by("-received_at", "-id")
        .first()
    )
