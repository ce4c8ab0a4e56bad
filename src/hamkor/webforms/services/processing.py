"""Turn a stored submission into a lead, or attach it to the contact it matches.

Safe to run twice and from many workers at once: the submission row is locked and only a
pending one is processed; while a submission is matched, the normalised email and phone are
locked (a PostgreSQL advisory lock; on SQLite the IMMEDIATE transaction already admits one
writer at a time), so two posts of the same new email create one contact, not two.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import socket
import threading
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.activities.models import Channel, Direction
from hamkor.activities.services.interactions import log_interaction
from hamkor.contacts.models import ConsentMethod, Contact, Source, Stage
from hamkor.contacts.services import (
    ContactInput,
    EmailInput,
    PhoneInput,
    create_contact,
    record_consent,
)
from hamkor.core.audit import record_event
from hamkor.sales.selectors.orders import find_contact_for_customer
from hamkor.webforms.models import Lease, Submission, SubmissionStatus, WebForm
from hamkor.webforms.services.intake import UTM_KEYS

logger = logging.getLogger(__name__)
DRAIN_LEASE = "submissions"
DRAIN_LEASE_SECONDS = 120
DRAIN_BATCH = 100


def _lock_keys(*keys: str) -> None:
    """Serialise work on the same email/phone across workers (PostgreSQL advisory locks)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted({k for k in keys if k}):
            digest = hashlib.sha256(key.encode()).digest()[:8]
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)]
            )


def _source_for(form: WebForm, utm: dict[str, str]) -> Source | None:
    name = utm.get("utm_source", "")
    if name:
        match = Source.objects.filter(name__iexact=name, is_active=True).first()
        if match is not None:
            return match
    return form.source


def _new_lead(submission: Submission, form: WebForm) -> Contact:
    data = submission.data
    email, phone = data.get("email", ""), data.get("phone", "")
    values: dict[str, Any] = {
        "first_name": data.get("first_name") or email or phone,
        "last_name": data.get("last_name", ""),
        "stage": Stage.LEAD,
        "owner": form.owner,
        "source": _source_for(form, submission.utm),
    }
    if data.get("city"):
        values["city"] = data["city"]
    if data.get("company"):
        values["notes"] = _("Company: %(name)s") % {"name": data["company"]}
    return create_contact(
        data=ContactInput(
            values=values,
            phones=[PhoneInput(number=phone)] if phone else [],
            emails=[EmailInput(email=email)] if email else [],
            tags=[tag.name for tag in form.tags.all()],
            custom_fields=data.get("custom_fields") or {},
        ),
        actor=form.created_by,
    )


def _body(submission: Submission) -> str:
    lines = [submission.data.get("message", "")]
    details = {
        str(_("Company")): submission.data.get("company", ""),
        **{key: submission.utm.get(key, "") for key in UTM_KEYS},
        str(_("Referrer")): submission.referrer,
    }
    extra = [f"{label}: {value}" for label, value in details.items() if value]
    if extra:
        lines += ["", *extra]
    return "\n".join(lines).strip()


def _record(submission: Submission, form: WebForm, contact: Contact) -> None:
    log_interaction(
        actor=form.created_by,
        contact=contact,
        values={
            "channel": Channel.WEB,
            "direction": Direction.IN,
            "subject": (_("Web form: %(name)s") % {"name": form.name})[:200],
            "body": _body(submission),
            "occurred_at": submission.created_at,
        },
    )
    if submission.consent:
        sent_at = timezone.localtime(submission.created_at).strftime("%Y-%m-%d %H:%M %Z")
        for channel in form.consent_channels:
            record_consent(
                contact=contact,
                channel=channel,
                granted=True,
                method=ConsentMethod.WEB_FORM,
                actor=None,
                note=(
                    _("web form %(name)s, sent %(when)s: %(wording)s")
                    % {"name": form.name, "when": sent_at, "wording": form.consent_text}
                )[:255],
                text_shown=form.consent_text,
                source=f"webform:{form.pk}",
            )


@transaction.atomic
def _process(submission_id: int) -> Submission | None:
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("form__owner", "form__created_by", "form__source")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or submission.status != SubmissionStatus.PENDING:
        return submission
    form = submission.form
    email, phone = submission.data.get("email", ""), submission.data.get("phone", "")
    _lock_keys(f"email:{email}" if email else "", f"phone:{phone}" if phone else "")
    contact = find_contact_for_customer(viewer=form.created_by, phone=phone, email=email)
    status = SubmissionStatus.MATCHED
    if contact is None:
        contact = _new_lead(submission, form)
        status = SubmissionStatus.CREATED
    _record(submission, form, contact)
    if status == SubmissionStatus.CREATED and submission.utm.get("utm_campaign"):
        from hamkor.marketing.services import attribute_from_utm

        attribute_from_utm(contact=contact, utm=submission.utm)
    submission.status = status
    submission.contact = contact
    submission.processed_at = timezone.now()
    submission.save(update_fields=["status", "contact", "processed_at"])
    record_event(
        actor=None,
        verb="webform.submission_processed",
        target=submission,
        data={"form": form.pk, "contact": contact.pk, "status": status},
    )
    return submission


def process_submission(*, submission_id: int) -> Submission | None:
    """Match or create the submission's contact and log it on their timeline; once only.

    A submission that fails (a custom field retired since it was sent, say) is marked failed
    with the reason, so staff see it, and nothing of it is half-written.
    """
    try:
        return _process(submission_id)
    except ValidationError as error:
        message = (
            "; ".join(
                f"{key}: {' '.join(items)}" if key != "__all__" else " ".join(items)
                for key, items in error.message_dict.items()
            )
            if hasattr(error, "error_dict")
            else " ".join(error.messages)
        )
        Submission.objects.filter(pk=submission_id, status=SubmissionStatus.PENDING).update(
            status=SubmissionStatus.FAILED, error=message[:2000], processed_at=timezone.now()
        )
        logger.warning("web form submission failed", extra={"submission": submission_id})
        return Submission.objects.filter(pk=submission_id).first()


def _take_lease(name: str, holder: str, seconds: float) -> bool:
    """One UPDATE decides: free, expired or already ours, the lease becomes ours."""
    Lease.objects.get_or_create(name=name)
    now = timezone.now()
    taken = (
        Lease.objects.filter(name=name)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__lt=now) | Q(holder=holder))
        .update(holder=holder, expires_at=now + datetime.timedelta(seconds=seconds))
    )
    return taken == 1


def _release_lease(name: str, holder: str) -> None:
    Lease.objects.filter(name=name, holder=holder).update(expires_at=None, holder="")


def drain_submissions(*, holder: str = "", batch: int = DRAIN_BATCH) -> int:
    """Process every pending submission, oldest first, one drainer at a time; returns count.

    Oldest first, and by one drainer, because a person's later post may carry only their email
    and another only their phone: processed before the first post (which has both), each would
    make a contact of its own. A drainer that finds the lease taken leaves the work to its
    holder, which looks again after letting go, so no submission waits for the sweep.
    """
    holder = holder or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
    done = 0
    # Ones that raised something unexpected (the database went away, say) stay pending for
    # the next drain rather than block everything behind them.
    skipped: set[int] = set()
    pending = Submission.objects.filter(status=SubmissionStatus.PENDING)
    while True:
        if not _take_lease(DRAIN_LEASE, holder, DRAIN_LEASE_SECONDS):
            return done
        try:
            ids = list(
                pending.exclude(pk__in=skipped).order_by("pk").values_list("pk", flat=True)[:batch]
            )
            for pk in ids:
                try:
                    process_submission(submission_id=pk)
                except Exception:
                    logger.exception("web form submission not processed", extra={"submission": pk})
                    skipped.add(pk)
                else:
                    done += 1
        finally:
            _release_lease(DRAIN_LEASE, holder)
        if not pending.exclude(pk__in=skipped).exists():
            return done
