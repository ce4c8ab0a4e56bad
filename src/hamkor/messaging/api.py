"""Outbound messages through one outbox, and inbound email, SMS and Telegram."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja import Status as HttpStatus

from hamkor.contacts.api import read_query, viewer_of
from hamkor.contacts.schemas import READ_ERRORS, WRITE_ERRORS
from hamkor.contacts.selectors import get_contact
from hamkor.messaging.models import OutboundMessage
from hamkor.messaging.schemas import (
    MessageIn,
    MessageListOut,
    MessageOut,
    MessagePageIn,
    PreviewIn,
    PreviewOut,
)
from hamkor.messaging.selectors import list_contact_messages
from hamkor.messaging.services.compose import compose, send_composed

router = Router(tags=["messaging"])


@router.get("/contacts/{contact_id}/messages", response={200: MessageListOut, **READ_ERRORS})
def contact_messages(
    request: HttpRequest, contact_id: int, params: Query[MessagePageIn]
) -> dict[str, Any]:
    """A contact's outbound messages with their delivery status, newest first."""
    read_query(request, params)
    contact = get_contact(viewer=viewer_of(request), pk=contact_id)
    messages = list_contact_messages(viewer=viewer_of(request), contact=contact)
    return {
        "items": list(messages[params.offset : params.offset + params.limit]),
        "count": messages.count(),
    }


@router.post("/contacts/{contact_id}/preview", response={200: PreviewOut, **WRITE_ERRORS})
def preview(request: HttpRequest, contact_id: int, payload: PreviewIn) -> dict[str, str]:
    """The personalised text a message would have, without sending it."""
    contact = get_contact(viewer=viewer_of(request), pk=contact_id)
    rendered = compose(
        contact=contact,
        channel=payload.channel,
        template=payload.template or "",
        subject=payload.subject or "",
        body=payload.body or "",
        sender=viewer_of(request),
    )
    return {"subject": rendered.subject, "body": rendered.body, "language": rendered.language}


@router.post("/messages", response={201: MessageOut, **WRITE_ERRORS})
def queue(request: HttpRequest, payload: MessageIn) -> HttpStatus[OutboundMessage]:
    """Queue a message to a contact; consent, quiet hours and retries are handled for you."""
    viewer = viewer_of(request)
    contact = get_contact(viewer=viewer, pk=payload.contact_id)
    message = send_composed(
        contact=contact,
        channel=payload.channel,
        kind=payload.kind,
        template=payload.template or "",
        subject=payload.subject or "",
        body=payload.body or "",
        actor=viewer,
        # Keys are per user, so two API clients cannot collide by accident.
        idempotency_key=f"api:{viewer.pk}:{payload.idempotency_key}",
        not_before=payload.not_before,
    )
    return HttpStatus(201, message)
