"""NPS surveys: to a group of contacts or after a paid order, answered through a signed link."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.contacts.models import Contact
from hamkor.core.audit import record_event
from hamkor.feedback.models import Survey, SurveyRecipient, SurveyResponse, SurveyTrigger
from hamkor.feedback.selectors import clean_segment, list_survey_audience
from hamkor.feedback.services.common import public_link, require_manager, tell_customer
from hamkor.messaging.models import Kind

logger = logging.getLogger(__name__)

# Not a secret: it keeps these tokens apart from other signed values (SECRET_KEY signs).
TOKEN_SALT = "hamkor.feedback.survey"  # noqa: S105
# A survey link older than this asks about something the customer has long forgotten.
LINK_MAX_AGE = datetime.timedelta(days=60)
# Invitations are written this many at a time, each batch in its own short transaction.
BATCH_SIZE = 200


class BadSurveyLink(Exception):
    """The link was not made by us (forged or mangled)."""


class ExpiredSurveyLink(Exception):
    """The link is ours but too old to answer."""


def survey_token(recipient: SurveyRecipient) -> str:
    """The signed, URL-safe token in a recipient's link; it names the invitation only."""
    return signing.dumps(recipient.uuid.hex, salt=TOKEN_SALT)


def read_survey_token(token: str) -> str:
    """The invitation's uuid (hex) from a token; raises BadSurveyLink or ExpiredSurveyLink."""
    try:
        return str(signing.loads(token, salt=TOKEN_SALT, max_age=LINK_MAX_AGE))
    except signing.SignatureExpired:
        raise ExpiredSurveyLink from None
    except signing.BadSignature:
        raise BadSurveyLink from None


def survey_link(recipient: SurveyRecipient) -> str:
    return public_link(reverse("feedback_portal:survey_answer", args=[survey_token(recipient)]))


def _require_public_url() -> None:
    if not str(getattr(settings, "HAMKOR_PUBLIC_URL", "") or "").strip():
        raise ValidationError(_("Set HAMKOR_PUBLIC_URL so the message can link to the survey."))


@transaction.atomic
def save_survey(
    *,
    actor: User,
    title: str,
    trigger: str,
    segment: str = "",
    delay_days: int = 3,
    cooldown_days: int = 90,
    is_active: bool = True,
    survey: Survey | None = None,
) -> Survey:
    """Create or edit a survey; a group survey needs a valid segment."""
    require_manager(actor)
    creating = survey is None
    target = survey or Survey(created_by=actor)
    target.title, target.trigger = title.strip(), trigger
    target.delay_days, target.cooldown_days, target.is_active = delay_days, cooldown_days, is_active
    target.segment = segment.strip()
    if trigger == SurveyTrigger.GROUP:
        try:
            target.segment = clean_segment(target.segment)
        except ValidationError as error:
            raise ValidationError({"segment": error.messages}) from None
    target.full_clean()
    target.save()
    record_event(
        actor=actor,
        verb="survey.created" if creating else "survey.updated",
        target=target,
        data={"trigger": target.trigger, "segment": target.segment},
    )
    return target


def _invite(
    *,
    survey: Survey,
    contact: Contact,
    key: str,
    send_after: datetime.datetime,
    order: Any = None,
) -> SurveyRecipient | None:
    """Write the invitation and queue its message; None when this key was invited before."""
    recipient = SurveyRecipient(
        survey=survey, contact=contact, key=key, send_after=send_after, order=order
    )
    try:
        with transaction.atomic():
            recipient.save()
    except IntegrityError:
        return None
    with translation.override(contact.language):
        organisation = str(settings.HAMKOR_ORGANISATION_NAME)
        subject = _("How likely are you to recommend %(organisation)s?") % {
            "organisation": organisation
        }
        body = _(
            "Hello %(name)s,\n\non a scale from 0 to 10, how likely are you to recommend "
            "%(organisation)s to a friend? Answer in one tap: %(link)s\n\nThank you!"
        ) % {
            "name": contact.first_name,
            "organisation": organisation,
            "link": survey_link(recipient),
        }
    tell_customer(
        contact=contact,
        subject=subject,
        body=body,
        kind=Kind.MARKETING,
        key=f"feedback:survey:{recipient.uuid}",
        not_before=send_after,
    )
    return recipient


@transaction.atomic
def send_survey(*, survey: Survey, actor: User) -> Survey:
    """Send a group survey to its contacts (after commit, in batches).

    Sending again reaches only contacts who joined the group since: each contact is asked once.
    """
    require_manager(actor)
    if survey.trigger != SurveyTrigger.GROUP:
        raise ValidationError(_("This survey goes out by itself after paid orders."))
    _require_public_url()
    survey.sent_at = timezone.now()
    survey.save(update_fields=["sent_at", "updated_at"])
    record_event(actor=actor, verb="survey.sent", target=survey, data={"segment": survey.segment})
    survey_id, actor_id = survey.pk, actor.pk

    def start() -> None:
        from hamkor.feedback.tasks import invite_survey_group

        invite_survey_group(survey_id, actor_id)

    transaction.on_commit(start)
    return survey


def invite_group(*, survey: Survey, viewer: User) -> int:
    """Invite every contact of the survey's group the viewer can see; returns new invitations."""
    contact_ids = list(
        list_survey_audience(segment=survey.segment, viewer=viewer)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    invited = 0
    now = timezone.now()
    for start in range(0, len(contact_ids), BATCH_SIZE):
        batch = Contact.objects.filter(pk__in=contact_ids[start : start + BATCH_SIZE]).order_by(
            "pk"
        )
        with transaction.atomic():
            for contact in batch:
                key = f"{survey.pk}:contact:{contact.pk}"
                if _invite(survey=survey, contact=contact, key=key, send_after=now):
                    invited += 1
    return invited


def _recently_asked(contact: Contact, when: datetime.datetime, days: int) -> bool:
    window = datetime.timedelta(days=days)
    return SurveyRecipient.objects.filter(
        contact=contact, send_after__gt=when - window, send_after__lt=when + window
    ).exists()


@transaction.atomic
def plan_after_order_surveys(*, order: Any, paid_at: datetime.datetime) -> list[SurveyRecipient]:
    """Schedule the active after-order surveys for a paid order's customer.

    Each goes ``delay_days`` after payment, unless the customer is asked (or will be) within
    ``cooldown_days`` of that moment by any survey. Running twice for one order does nothing.
    """
    contact = order.contact
    if contact is None or contact.archived_at is not None:
        return []
    if not str(getattr(settings, "HAMKOR_PUBLIC_URL", "") or "").strip():
        logger.warning(
            "no HAMKOR_PUBLIC_URL: after-order survey not sent", extra={"order": order.pk}
        )
        return []
    planned = []
    surveys = Survey.objects.filter(trigger=SurveyTrigger.AFTER_ORDER, is_active=True)
    for survey in surveys.order_by("pk"):
        key = f"{survey.pk}:order:{order.pk}"
        if SurveyRecipient.objects.filter(key=key).exists():
            continue
        due = paid_at + datetime.timedelta(days=survey.delay_days)
        if _recently_asked(contact, due, survey.cooldown_days):
            continue
        recipient = _invite(survey=survey, contact=contact, key=key, send_after=due, order=order)
        if recipient is not None:
            planned.append(recipient)
    return planned


@transaction.atomic
def answer_survey(*, recipient: SurveyRecipient, score: Any, comment: str = "") -> SurveyResponse:
    """Store the recipient's one answer (0–10 and an optional comment)."""
    try:
        value = int(str(score).strip())
    except (TypeError, ValueError):
        value = -1
    if not 0 <= value <= 10:
        raise ValidationError({"score": _("Choose a number from 0 to 10.")})
    response = SurveyResponse(
        recipient=recipient,
        survey_id=recipient.survey_id,
        contact_id=recipient.contact_id,
        score=value,
        comment=comment.strip(),
    )
    response.full_clean(exclude=["recipient"])
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        raise ValidationError(_("You have already answered this survey. Thank you!")) from None
    record_event(
        actor=None,
        verb="survey.answered",
        target=response,
        data={"survey": recipient.survey_id, "contact": recipient.contact_id, "score": value},
    )
    return response
