"""Interactions (every contact with a customer) and planned activities with their reminders."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hamkor.accounts.models import TeamOwned
from hamkor.contacts.models import Company, Contact
from hamkor.core.models import TimeStampedModel


class Channel(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", pgettext_lazy("channel", "Phone")
    FAX = "fax", _("Fax")
    MAIL = "mail", _("Letter")
    EMAIL = "email", _("Email")
    WEB = "web", _("Web")
    TELEGRAM = "telegram", _("Telegram")
    SMS = "sms", _("SMS")
    SOCIAL = "social", _("Social media")
    OTHER = "other", pgettext_lazy("channel", "Other")


class Direction(models.TextChoices):
    IN = "in", _("Incoming")
    OUT = "out", _("Outgoing")


class Outcome(models.TextChoices):
    SUCCESSFUL = "successful", _("Successful")
    UNSUCCESSFUL = "unsuccessful", _("Unsuccessful")
    NO_ANSWER = "no_answer", _("No answer")
    FOLLOW_UP = "follow_up", _("Follow-up needed")


class Interaction(TimeStampedModel):
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="interactions",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="interactions",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("details"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact__isnull=False) | Q(company__isnull=False),
                name="activities_interaction_has_customer",
            )
        ]
        indexes = [
            models.Index(fields=["contact", "-occurred_at"], name="activities_contact_time"),
            models.Index(fields=["company", "-occurred_at"], name="activities_company_time"),
        ]

    def __str__(self) -> str:
        return self.subject or str(self.get_channel_display())


# --- planned activities ------------------------------------------------------------------


class ActivityKind(models.TextChoices):
    CALL = "call", pgettext_lazy("activity kind", "Call")
    MEETING = "meeting", _("Meeting")
    TASK = "task", _("Task")
    FOLLOW_UP = "follow_up", _("Follow-up")


class ActivityOutcome(models.TextChoices):
    SUCCESSFUL = "successful", _("Successful")
    UNSUCCESSFUL = "unsuccessful", _("Unsuccessful")
    RESCHEDULED = "rescheduled", _("Rescheduled")


class Activity(TimeStampedModel, TeamOwned):
    """A call, meeting, task or follow-up planned for a time; done once it has an outcome."""

    kind = models.CharField(_("type"), max_length=16, choices=ActivityKind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
    )
    deal = models.ForeignKey(
        "sales.Deal",
        verbose_name=_("deal"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
    )
    due_at = models.DateTimeField(_("due"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=30)
    location = models.CharField(_("location"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=ActivityOutcome.choices, blank=True
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    # None: no reminder. Minutes before due_at otherwise.
    remind_minutes_before = models.PositiveIntegerField(
        _("reminder (minutes before)"), null=True, blank=True, default=15
    )
    follow_up_of = models.ForeignKey(
        "self",
        verbose_name=_("follow-up of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=False) | Q(outcome=""),
                name="activities_activity_outcome_when_done",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__lte=60 * 24 * 31),
                name="activities_activity_duration",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "due_at"], name="activities_owner_due"),
            models.Index(fields=["team", "due_at"], name="activities_team_due"),
            models.Index(fields=["contact", "due_at"], name="activities_contact_due"),
            models.Index(fields=["company", "due_at"], name="activities_company_due"),
            models.Index(fields=["deal", "due_at"], name="activities_deal_due"),
            models.Index(fields=["done_at"], name="activities_done"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def ends_at(self) -> datetime.datetime:
        return self.due_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_at < timezone.now()


class CalendarFeed(models.Model):
    """A user's secret iCalendar address; only the SHA-256 of its token is stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)


# --- reminders and in-app notifications ---------------------------------------------------


class Reminder(models.Model):
    """When to remind an activity's owner; ``fired_at`` is set by the one claim that fires it."""

    activity = models.OneToOneField(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="reminder"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    fire_at = models.DateTimeField(_("remind at"))
    fired_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    # Set once the email step is done: the owner's email is in the outbox, or there is
    # none to send. Emails are queued after the firing commits, so firing stays fast.
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    # Names the batch that claimed it: the claimer reads back exactly its own rows.
    claimed_by = models.CharField(max_length=120, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["fire_at", "id"]
        indexes = [
            # Only unfired rows: the dispatcher's once-a-second query stays small.
            models.Index(
                fields=["fire_at"], name="activities_reminder_due", condition=Q(fired_at=None)
            ),
            models.Index(fields=["claimed_by"], name="activities_reminder_claim"),
            # Fired but the email step not done yet: what the sweep looks at.
            models.Index(
                fields=["fired_at"],
                name="activities_reminder_unmailed",
                condition=Q(emailed_at=None, fired_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} @ {self.fire_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """An in-app message to a user (the bell); written in the user's language and time zone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("type"), max_length=32, default="reminder")
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # One notification per event, whichever worker fires it (e.g. reminder:<id>:<time>).
    dedupe_key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="activities_notice_user"),
            models.Index(
                fields=["user"], name="activities_notice_unread", condition=Q(read_at=None)
            ),
        ]

    def __str__(self) -> str:
        return self.title
