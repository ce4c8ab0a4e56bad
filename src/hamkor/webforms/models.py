"""Web-to-lead forms, what visitors sent through them, and the per-IP rate-limit counters."""

from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hamkor.contacts.models import Source, Tag
from hamkor.core.models import TimeStampedModel


class WebForm(TimeStampedModel):
    """A form a company puts on its website; each post becomes a Submission."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    # [{"key": "email", "required": true}, {"key": "cf:size", "required": false}, ...] in
    # display order; keys are services.STANDARD_FIELDS or "cf:" + a contact custom field key.
    fields = models.JSONField(_("fields"), default=list)
    consent_channels = models.JSONField(_("consent covers"), default=list, blank=True)
    consent_text = models.CharField(_("consent wording"), max_length=500, blank=True)
    thank_you_text = models.TextField(_("thank-you text"))
    redirect_url = models.URLField(_("redirect after success"), blank=True)
    # One origin per line, e.g. https://shop.example.com; empty: any site may post.
    allowed_origins = models.TextField(_("allowed origins"), blank=True)
    source = models.ForeignKey(
        Source,
        verbose_name=_("default source"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags for new leads"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner of new leads"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Who set the form up; posts are matched and leads created in their name.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    rate_limit = models.PositiveIntegerField(
        _("posts per minute from one address"),
        default=10,
        help_text=_("More posts than this from one IP address in a minute are refused."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("web form")
        verbose_name_plural = _("web forms")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def origins(self) -> list[str]:
        return [line.strip().rstrip("/") for line in self.allowed_origins.splitlines() if line]


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    CREATED = "created", _("New lead")
    MATCHED = "matched", _("Matched a contact")
    FAILED = "failed", _("Failed")


class Submission(models.Model):
    """One accepted post, stored as sent (cleaned); a background job turns it into a lead."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    form = models.ForeignKey(WebForm, on_delete=models.CASCADE, related_name="submissions")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.PENDING,
    )
    data = models.JSONField(_("data"), default=dict)
    utm = models.JSONField(_("UTM parameters"), default=dict, blank=True)
    referrer = models.CharField(_("referrer"), max_length=500, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    consent = models.BooleanField(_("consent given"), default=False)
    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["form", "-created_at", "-id"], name="webforms_sub_form_time"),
            models.Index(
                fields=["created_at"],
                condition=Q(status="pending"),
                name="webforms_sub_pending",
            ),
        ]

    def __str__(self) -> str:
        return str(self.uuid)


class RateCounter(models.Model):
    """Posts from one client key in one minute; shared by every web process via the database."""

    key = models.CharField(max_length=80)
    minute = models.BigIntegerField()  # minutes since the epoch
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "minute"], name="webforms_rate_unique")
        ]
        indexes = [models.Index(fields=["minute"], name="webforms_rate_minute")]

    def __str__(self) -> str:
        return f"{self.key}@{self.minute}: {self.count}"


class Lease(models.Model):
    """Who may run a one-at-a-time job (the submission drainer) until when; expires by itself."""

    name = models.CharField(max_length=40, unique=True)
    holder = models.CharField(max_length=80, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.holder}"
