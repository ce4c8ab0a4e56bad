"""Reminders: kept in step with their activity, fired once each, whichever worker gets there.

How reminders fire within seconds (and not at Huey's one-minute periodic granularity):
every worker process runs a small dispatcher loop (``hamkor worker``, see
``activities/dispatcher.py``) that calls ``fire_due_reminders`` about once a second.
Each call claims a batch of due rows with one conditional UPDATE
(``SET fired_at=now, claimed_by=<batch> WHERE id IN (...) AND fired_at IS NULL``) and, in
the same transaction, writes the in-app notifications: a worker killed mid-batch rolls
back and another claims the rows again, and no reminder fires twice. On PostgreSQL the
candidates are read ``FOR UPDATE SKIP LOCKED`` so workers take different batches; on
SQLite the IMMEDIATE transaction serialises them.

The emails are queued right after that commit, as worker jobs of 50
(``email_fired_reminders``), not inside it: the outbox does several writes per message
and would hold the claim transaction (and SQLite's write lock) long enough to make the
next batches late. Queueing twice is harmless (one idempotency key per firing gives the
same outbox message), and the per-minute sweep queues those a killed worker left out.

The database row is the schedule: moving an activity is one UPDATE, nothing to cancel in
the queue. (The alternative, one Huey ``eta`` task per reminder, would put 100,000 entries
in Huey's schedule, which would have to be found and cancelled whenever an activity moves.)
"""

from __future__ import annotations

import datetime
import logging
import uuid
import zoneinfo
from collections.abc import Sequence

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.activities.models import Activity, Notification, Reminder
from hamkor.activities.services.activities import on_activity_saved

logger = logging.getLogger(__name__)

BATCH = 500
# A fired reminder whose email is not queued this long after is taken to be forgotten
# (long enough that a mere backlog of email jobs is not swept as well).
SWEEP_AFTER = datetime.timedelta(minutes=5)


def sync_reminder(activity: Activity) -> None:
    """Create, move or drop the activity's reminder to match its due time and owner.

    Called after every write of an activity, inside its transaction. A reminder is kept
    only for an open activity with an owner and a reminder choice, due in the future;
    a fired reminder fires again only when its time changes.
    """
    owner_id, minutes = activity.owner_id, activity.remind_minutes_before
    existing = Reminder.objects.filter(activity=activity).first()
    if (
        activity.done_at is not None
        or owner_id is None
        or minutes is None
        or activity.due_at <= timezone.now()
    ):
        if existing is not None and existing.fired_at is None:
            existing.delete()
        return
    fire_at = activity.due_at - datetime.timedelta(minutes=minutes)
    if existing is None:
        Reminder.objects.create(activity=activity, user_id=owner_id, fire_at=fire_at)
        return
    if existing.fire_at != fire_at:
        existing.fire_at = fire_at
        existing.fired_at = None
        existing.claimed_by = ""
    existing.user_id = owner_id
    existing.save(update_fields=["fire_at", "fired_at", "claimed_by", "user"])


on_activity_saved(sync_reminder)


def _zone(user: User) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def reminder_text(activity: Activity, user: User) -> tuple[str, str]:
    """(title, body) of a reminder in the user's language, the time in their time zone."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        local = timezone.localtime(activity.due_at, _zone(user))
        values = {
            "kind": activity.get_kind_display(),
            "subject": activity.subject,
            "time": formats.time_format(local, "TIME_FORMAT"),
            "date": formats.date_format(local, "SHORT_DATE_FORMAT"),
        }
        title = _("%(kind)s at %(time)s: %(subject)s") % values
        lines = [_("Due: %(date)s, %(time)s") % values]
        if activity.contact_id:
            lines.append(_("Customer: %(name)s") % {"name": activity.contact})
        if activity.location:
            lines.append(_("Location: %(place)s") % {"place": activity.location})
        if activity.note:
            lines.append(activity.note)
        return title, "\n".join(lines)


def _candidates(now: datetime.datetime, limit: int) -> list[int]:
    due = Reminder.objects.filter(fired_at__isnull=True, fire_at__lte=now).order_by("fire_at", "pk")
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True)
    return list(due.values_list("pk", flat=True)[:limit])


def _key(reminder: Reminder) -> str:
    """One per firing: the same for the notification and the email, whoever writes them."""
    return f"reminder:{reminder.pk}:{reminder.fire_at.timestamp():.0f}"


def fire_due_reminders(*, worker: str = "", limit: int = BATCH) -> int:
    """Claim up to ``limit`` due reminders and ring the owners' bells, in one transaction.

    Returns how many this call fired; a reminder is fired by exactly one call. The emails
    are queued after the commit (``email_fired_reminders``), so a slow outbox never delays
    the next batch; the sweep queues any a crashed worker left out.
    """
    batch = f"{worker or 'worker'}:{uuid.uuid4().hex}"[:120]
    with transaction.atomic():
        now = timezone.now()
        ids = _candidates(now, limit)
        if not ids:
            return 0
        claimed = Reminder.objects.filter(pk__in=ids, fired_at__isnull=True).update(
            fired_at=now, claimed_by=batch
        )
        if not claimed:
            return 0
        reminders = list(
            Reminder.objects.filter(claimed_by=batch)
            .select_related("user", "activity", "activity__contact")
            .order_by("fire_at", "pk")
        )
        notifications = []
        to_email = []
        for reminder in reminders:
            activity, user = reminder.activity, reminder.user
            title, body = reminder_text(activity, user)
            notifications.append(
                Notification(
                    user=user,
                    kind="reminder",
                    title=title[:255],
                    body=body,
                    url=reverse("activities:detail", args=[activity.pk]),
                    activity=activity,
                    dedupe_key=_key(reminder),
                    created_at=now,
                )
            )
            if user.email and user.is_active:
                to_email.append(reminder.pk)
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
        # Nothing to email: the email step is done already.
        Reminder.objects.filter(claimed_by=batch).exclude(pk__in=to_email).update(emailed_at=now)
        if to_email:
            transaction.on_commit(lambda: _hand_over_emails(to_email))
    logger.info(
        "reminders fired",
        extra={
            "count": len(reminders),
            "worker": worker,
            "oldest_lateness_s": (now - reminders[0].fire_at).total_seconds(),
        },
    )
    return len(reminders)


EMAIL_CHUNK = 50


def _hand_over_emails(reminder_ids: list[int]) -> None:
    """Queue the emails in chunks as worker jobs, so several threads share the work."""
    from hamkor.activities import tasks

    for start in range(0, len(reminder_ids), EMAIL_CHUNK):
        tasks.email_reminders(reminder_ids[start : start + EMAIL_CHUNK])


def email_fired_reminders(*, reminder_ids: Sequence[int]) -> int:
    """Put the owners' reminder emails in the outbox; safe to run twice (same key, same
    message). Returns how many were queued by this call.

    One transaction for the whole chunk: on SQLite every write transaction waits for the
    one write lock, and 50 short ones cost far more waiting than one longer one.
    """
    from hamkor.messaging.services import queue_message

    public = str(getattr(settings, "HAMKOR_PUBLIC_URL", "")).rstrip("/")
    queued = 0
    with transaction.atomic():
        reminders = list(
            Reminder.objects.filter(pk__in=reminder_ids, fired_at__isnull=False, emailed_at=None)
            .select_related("user", "activity", "activity__contact")
            .order_by("pk")
        )
        for reminder in reminders:
            user = reminder.user
            if not (user.email and user.is_active):
                continue
            title, body = reminder_text(reminder.activity, user)
            if public:
                url = reverse("activities:detail", args=[reminder.activity_id])
                body = f"{body}\n\n{public}{url}"
            queue_message(
                channel="email",
                kind="staff",
                to_address=user.email,
                subject=title,
                body=body,
                idempotency_key=_key(reminder),
            )
            queued += 1
        Reminder.objects.filter(pk__in=[r.pk for r in reminders], emailed_at=None).update(
            emailed_at=timezone.now()
        )
    return queued


def email_forgotten_reminders(*, older_than: datetime.timedelta = SWEEP_AFTER) -> int:
    """Queue the emails of reminders fired a while ago whose email step never finished
    (the worker stopped between firing and queueing).

    Chunk by chunk, each in its own transaction: one transaction over thousands of rows
    would hold SQLite's write lock for seconds and make the next reminders fire late.
    """
    cutoff = timezone.now() - older_than
    ids = list(
        Reminder.objects.filter(emailed_at=None, fired_at__lt=cutoff)
        .order_by("fired_at")
        .values_list("pk", flat=True)[:5000]
    )
    return sum(
        email_fired_reminders(reminder_ids=ids[start : start + EMAIL_CHUNK])
        for start in range(0, len(ids), EMAIL_CHUNK)
    )
