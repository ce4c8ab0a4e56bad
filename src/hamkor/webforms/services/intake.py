"""What the public endpoint does per post: check it against the form, store it, queue it.

The request path is kept to the minimum (one rate-limit UPSERT, one SELECT of the form, one
INSERT of the submission); matching and lead creation run later in a job
(``processing.process_submission``), so a burst of posts is answered quickly and none is lost
while contacts are written.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlparse
from uuid import uuid4

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.contacts.custom_fields import clean_value
from hamkor.contacts.models import CustomFieldDefinition, Entity
from hamkor.core.phones import normalize_phone
from hamkor.webforms.models import Submission, SubmissionStatus, WebForm
from hamkor.webforms.services.design import CUSTOM_PREFIX, STANDARD_FIELDS, custom_keys

logger = logging.getLogger(__name__)

# A field real visitors never see (hidden by CSS, skipped by keyboard); bots fill it in.
HONEYPOT_FIELD = "website"
CONSENT_FIELD = "consent"
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
MAX_BODY_BYTES = 16 * 1024
MAX_FIELD_CHARS = 255
MAX_MESSAGE_CHARS = 4000
MAX_REFERRER_CHARS = 500


@dataclass
class CleanSubmission:
    """A post that passed the form's checks, normalised (email lower-case, phone E.164)."""

    data: dict[str, Any] = field(default_factory=dict)
    utm: dict[str, str] = field(default_factory=dict)
    referrer: str = ""
    consent: bool = False
    is_spam: bool = False


def _utm(post: Mapping[str, str], page: str) -> dict[str, str]:
    """UTM values from hidden fields, else from the query of the page the form was on."""
    found = {key: post.get(key, "").strip()[:MAX_FIELD_CHARS] for key in UTM_KEYS}
    if not any(found.values()) and page:
        query = parse_qs(urlparse(page).query)
        found = {key: (query.get(key) or [""])[0].strip()[:MAX_FIELD_CHARS] for key in UTM_KEYS}
    return {key: value for key, value in found.items() if value}


def _clean_standard(key: str, raw: str) -> str:
    if key == "email":
        address = raw.lower()
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                _("“%(value)s” is not a valid email address."), params={"value": raw}
            ) from None
        return address
    if key == "phone":
        return normalize_phone(raw)
    return raw


def _definitions(form: WebForm) -> dict[str, CustomFieldDefinition]:
    keys = custom_keys(form)
    if not keys:
        return {}
    rows = CustomFieldDefinition.objects.filter(entity=Entity.CONTACT, is_active=True, key__in=keys)
    return {d.key: d for d in rows}


def clean_submission(
    *, form: WebForm, post: Mapping[str, str], referer: str = ""
) -> CleanSubmission:
    """Check a post against the form's fields; raise ValidationError with errors by field."""
    if post.get(HONEYPOT_FIELD, "").strip():
        return CleanSubmission(is_spam=True)
    errors: dict[str, list[str]] = {}
    data: dict[str, Any] = {}
    custom: dict[str, Any] = {}
    definitions = _definitions(form)
    for spec in form.fields:
        key, required = spec["key"], bool(spec.get("required"))
        raw = str(post.get(key, "")).strip()
        limit = MAX_MESSAGE_CHARS if key == "message" else MAX_FIELD_CHARS
        if len(raw) > limit:
            errors.setdefault(key, []).append(
                _("Keep this under %(limit)s characters.") % {"limit": limit}
            )
            continue
        if not raw:
            if required:
                errors.setdefault(key, []).append(_("This field is required."))
            continue
        try:
            if key.startswith(CUSTOM_PREFIX):
                definition = definitions.get(key[len(CUSTOM_PREFIX) :])
                if definition is not None:
                    custom[definition.key] = clean_value(definition, raw)
            elif key in STANDARD_FIELDS:
                data[key] = _clean_standard(key, raw)
        except ValidationError as error:
            errors.setdefault(key, []).extend(error.messages)
    keys = {spec["key"] for spec in form.fields}
    if not errors and not data.get("email") and not data.get("phone"):
        target = "email" if "email" in keys else "phone"
        errors[target] = [_("Give your email or phone so we can answer you.")]
    if errors:
        raise ValidationError(errors)
    if custom:
        data["custom_fields"] = custom
    page = str(post.get("page", "")).strip() or referer
    return CleanSubmission(
        data=data,
        utm=_utm(post, page),
        referrer=(str(post.get("referrer", "")).strip() or referer)[:MAX_REFERRER_CHARS],
        consent=bool(form.consent_channels)
        and str(post.get(CONSENT_FIELD, "")).strip().lower() in {"1", "on", "yes", "true"},
    )


# One drain job per web process per second at most. Each job drains every pending
# submission, so a job per post only fills the queue: at 1,000 posts a second that is a
# thousand jobs, each a round trip to the queue on the request path. The job is due a
# second later, when the posts of that second have committed; a post committing after its
# job started is taken by the next second's job or by the sweep every minute.
DRAIN_DELAY_SECONDS = 1.0
_drain_lock = threading.Lock()
_drain_due = 0.0


def _queue(submission_id: int) -> None:
    from huey.contrib.djhuey import HUEY

    from hamkor.webforms.tasks import process_submission_task

    global _drain_due
    try:
        if HUEY.immediate:
            # Development and tests run jobs inline: each post is processed at once.
            process_submission_task(submission_id)
            return
        now = time.monotonic()
        with _drain_lock:
            if now < _drain_due:
                return
            _drain_due = now + DRAIN_DELAY_SECONDS
        process_submission_task.schedule(args=(submission_id,), delay=DRAIN_DELAY_SECONDS)
    except Exception:
        # The queue is down: the row stays pending and the periodic sweep processes it.
        logger.exception("web form submission not queued", extra={"submission": submission_id})


_INSERT_COLUMNS = (
    "uuid",
    "form",
    "status",
    "data",
    "utm",
    "referrer",
    "ip",
    "consent",
    "error",
    "created_at",
)


@functools.cache
def _insert_fields() -> list[Field[Any, Any]]:
    by_name = {f.name: f for f in Submission._meta.concrete_fields}
    return [by_name[name] for name in _INSERT_COLUMNS]


@functools.cache
def _insert_statement(vendor: str) -> str:
    """``INSERT INTO <submissions> (...) VALUES (%s, ...) RETURNING id`` for this database."""
    meta = Submission._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in _insert_fields())
    placeholders = ", ".join(["%s"] * len(_INSERT_COLUMNS))
    # Names come from our own model; every value goes in as a parameter.
    return (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES ({placeholders}) RETURNING {quote(meta.pk.column)}"
    )


def store_submission(*, form: WebForm, clean: CleanSubmission, ip: str | None) -> int:
    """Store an accepted post in one INSERT, queue its processing after commit; its id.

    The statement is written out rather than built by ``Submission.objects.create``: at a
    thousand posts a second the ORM's per-save work was a fifth of a post's CPU time. The
    values still go through each model field's own conversion for this database.
    """
    values = {
        "uuid": uuid4(),
        "form": form.pk,
        "status": SubmissionStatus.PENDING.value,
        "data": clean.data,
        "utm": clean.utm,
        "referrer": clean.referrer,
        "ip": ip or None,
        "consent": clean.consent,
        "error": "",
        "created_at": timezone.now(),
    }
    params = [f.get_db_prep_save(values[f.name], connection) for f in _insert_fields()]
    with connection.cursor() as cursor:
        cursor.execute(_insert_statement(connection.vendor), params)
        row = cursor.fetchone()
    submission_id = int(row[0])
    transaction.on_commit(lambda: _queue(submission_id))
    return submission_id
