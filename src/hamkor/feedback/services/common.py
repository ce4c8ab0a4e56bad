"""What every feedback write shares: who may manage, and telling a customer something."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from hamkor.accounts.models import Role, User
from hamkor.contacts.models import Contact
from hamkor.messaging.models import Channel, OutboundMessage
from hamkor.messaging.services import consent_problem, contact_address, queue_message
from hamkor.messaging.services.outbox import purpose_of

# Roles that publish news, answer customers, moderate and set the status of ideas.
MANAGER_ROLES = frozenset({Role.ADMIN, Role.MANAGER, Role.SUPPORT})
# Which channel reaches a customer, most direct first.
CHANNEL_PREFERENCE = (Channel.TELEGRAM, Channel.SMS, Channel.EMAIL)


def can_manage_feedback(user: User) -> bool:
    """Administrators, managers and support staff run the feedback loop; others read it."""
    return bool(user.is_active and (user.is_superuser or user.role in MANAGER_ROLES))


def require_manager(user: User) -> None:
    if not can_manage_feedback(user):
        raise PermissionDenied(
            _("Only administrators, managers and support staff can change feedback.")
        )


def customer_channel(contact: Contact, kind: str = "") -> str:
    """The channel the customer agreed to and has an address on (Telegram, SMS, email).

    With no such channel, the first one with an address: the outbox then stores the message
    as blocked with the reason, so staff see why the customer was not told.
    """
    with_address = [c for c in CHANNEL_PREFERENCE if contact_address(contact, c)]
    for channel in with_address:
        if not consent_problem(contact, channel, purpose_of(kind)):
            return str(channel)
    return str(with_address[0]) if with_address else str(Channel.EMAIL)


def public_link(path: str) -> str:
    """An absolute link for a message (HAMKOR_PUBLIC_URL + path), or the path alone."""
    base = str(getattr(settings, "HAMKOR_PUBLIC_URL", "") or "").rstrip("/")
    return f"{base}{path}"


def tell_customer(
    *,
    contact: Contact,
    subject: str,
    body: str,
    kind: str,
    key: str,
    actor: User | None = None,
    not_before: datetime.datetime | None = None,
) -> OutboundMessage:
    """Queue one message to the customer on their channel; the same key never sends twice."""
    return queue_message(
        channel=customer_channel(contact, kind),
        subject=subject,
        body=body,
        contact=contact,
        kind=kind,
        idempotency_key=key,
        actor=actor,
        not_before=not_before,
    )
