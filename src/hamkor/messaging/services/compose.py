"""What staff write on the contact card or through the API, personalised and queued."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.contacts.models import Contact
from hamkor.messaging.models import Channel, InboundMessage, OutboundMessage
from hamkor.messaging.services.outbox import queue_message
from hamkor.messaging.services.templating import (
    RenderedMessage,
    render_message,
    render_template,
)


def compose(
    *,
    contact: Contact,
    channel: str,
    template: str,
    subject: str,
    body: str,
    sender: User | None,
) -> RenderedMessage:
    """A template in the contact's language, or the given text, personalised for them."""
    if template:
        return render_template(key=template, channel=channel, contact=contact, sender=sender)
    if not body.strip():
        raise ValidationError({"body": _("Write the message or choose a template.")})
    rendered = render_message(
        channel=channel, body=body, subject=subject, contact=contact, sender=sender
    )
    return RenderedMessage(
        subject=rendered.subject,
        body=rendered.body,
        html_body=rendered.html_body,
        language=contact.language,
    )


def _latest_email_from(contact: Contact) -> InboundMessage | None:
    return (
        InboundMessage.objects.filter(contact=contact, channel=Channel.EMAIL)
        .order_by("-received_at", "-id")
        .first()
    )


@transaction.atomic
def send_composed(
    *,
    contact: Contact,
    channel: str,
    kind: str,
    template: str,
    subject: str,
    body: str,
    actor: User,
    idempotency_key: str,
    not_before: datetime.datetime | None = None,
) -> OutboundMessage:
    """Personalise and queue; an email without its own subject answers the customer's last
    email in the same thread (Re: subject, In-Reply-To, References)."""
    rendered = compose(
        contact=contact,
        channel=channel,
        template=template,
        subject=subject,
        body=body,
        sender=actor,
    )
    reply_to = _latest_email_from(contact) if channel == Channel.EMAIL else None
    subject_text = rendered.subject
    if reply_to is not None and not subject_text:
        original = reply_to.subject
        subject_text = original if original.lower().startswith("re:") else f"Re: {original}"
    message = queue_message(
        channel=channel,
        body=rendered.body,
        html_body=rendered.html_body,
        subject=subject_text,
        contact=contact,
        kind=kind,
        idempotency_key=idempotency_key,
        actor=actor,
        not_before=not_before,
    )
    if reply_to is not None and not subject.strip() and not template and reply_to.external_id:
        # Still inside our transaction: the worker reads the headers after commit.
        OutboundMessage.objects.filter(pk=message.pk, in_reply_to="").update(
            in_reply_to=reply_to.external_id
        )
        message.refresh_from_db()
    return message
