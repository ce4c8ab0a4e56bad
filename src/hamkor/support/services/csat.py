"""The satisfaction question after resolution, and the customer's answer.

The link carries the ticket's UUID signed with the secret key (``django.core.signing``), so
the customer answers without signing in and nobody can answer for another ticket. One
answer per ticket: answering again replaces the score (a customer who misclicked can fix
it), and the answer stays credited to the agent who had the ticket when it was resolved.
"""

from __future__ import annotations

import uuid

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.core.audit import record_event
from hamkor.messaging.models import OutboundMessage
from hamkor.support.models import SatisfactionAnswer, Ticket
from hamkor.support.services.notify import absolute, ask_satisfaction

SALT = "hamkor.support.csat"
# A link older than this is refused: the question is about a fresh experience.
MAX_AGE_DAYS = 60


def csat_token(ticket: Ticket) -> str:
    return signing.dumps(str(ticket.uuid), salt=SALT, compress=False)


def ticket_uuid_from_token(token: str) -> uuid.UUID | None:
    """The ticket's UUID in a CSAT token, or None when forged, damaged or too old."""
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE_DAYS * 24 * 3600)
        return uuid.UUID(str(value))
    except (signing.BadSignature, ValueError):
        return None


def csat_link(ticket: Ticket) -> str:
    return absolute(reverse("support_portal:csat", args=[csat_token(ticket)]))


def send_satisfaction_question(ticket: Ticket) -> OutboundMessage:
    """Ask the customer to rate the ticket (once per ticket, whatever the retries)."""
    return ask_satisfaction(ticket, link=csat_link(ticket))


@transaction.atomic
def answer_satisfaction(*, ticket: Ticket, score: int, comment: str = "") -> SatisfactionAnswer:
    """Keep the customer's 1-5 score for the ticket; a second answer replaces the first."""
    if not 1 <= score <= 5:
        raise ValidationError({"score": _("Choose a score from 1 to 5.")})
    if ticket.resolved_at is None:
        raise ValidationError(_("This request is not resolved yet."))
    answer = SatisfactionAnswer.objects.select_for_update().filter(ticket=ticket).first()
    answer = answer or SatisfactionAnswer(ticket=ticket, agent=ticket.assignee)
    answer.score = score
    answer.comment = comment.strip()[:2000]
    answer.answered_at = timezone.now()
    answer.full_clean(exclude=["ticket"])
    answer.save()
    record_event(actor=None, verb="ticket.rated", target=ticket, data={"score": score})
    return answer
