"""Segments, campaigns and attribution, bulk sends to a segment."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hamkor.contacts.models import Contact, Source
from hamkor.core.models import TimeStampedModel


class SegmentKind(models.TextChoices):
    # Re-evaluated every time it is used.
    DYNAMIC = "dynamic", _("Dynamic")
    # The members saved when it was frozen.
    FROZEN = "frozen", _("Frozen list")


class Segment(TimeStampedModel):
    """A saved filter over contacts (``rules``, see ``marketing.rules``), or a frozen list."""

    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=255, blank=True)
    kind = models.CharField(
        _("kind"), max_length=8, choices=SegmentKind.choices, default=SegmentKind.DYNAMIC
    )
    rules = models.JSONField(_("rules"), default=dict, blank=True)
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class SegmentMember(models.Model):
    """One contact of a frozen segment, as it was at freeze time."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="members")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("segment member")
        verbose_name_plural = _("segment members")
        constraints = [
            models.UniqueConstraint(fields=["segment", "contact"], name="marketing_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.segment_id}/{self.contact_id}"


class CampaignChannel(models.TextChoices):
    BANNER = "banner", _("Banner")
    INSTAGRAM = "instagram", _("Instagram")
    TELEGRAM_CHANNEL = "telegram_channel", _("Telegram channel")
    FACEBOOK = "facebook", _("Facebook")
    RADIO = "radio", _("Radio")
    TV = "tv", _("Television")
    REFERRAL = "referral", _("Referral")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    EVENT = "event", _("Event")
    OTHER = "other", pgettext_lazy("campaign channel", "Other")


class Campaign(TimeStampedModel):
    """An advertising effort with its dates and cost; contacts are attributed to it."""

    name = models.CharField(_("name"), max_length=120)
    channel = models.CharField(_("channel"), max_length=20, choices=CampaignChannel.choices)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    cost = models.DecimalField(
        _("cost"),
        max_digits=16,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.SET_NULL
    )
    # Matched against a web form's utm_campaign, case-insensitively (stored lower-case).
    utm_campaign = models.CharField(
        _("UTM campaign code"), max_length=100, null=True, blank=True, unique=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="marketing_campaign_cost"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="marketing_campaign_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Attribution(models.Model):
    """The campaign that brought a contact (one per contact)."""

    contact = models.OneToOneField(
        Contact, on_delete=models.CASCADE, primary_key=True, related_name="attribution"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="attributions",
    )
    utm = models.JSONField(_("UTM data"), default=dict, blank=True)
    attributed_at = models.DateTimeField(_("attributed"))
    attributed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attributed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attribution")
        verbose_name_plural = _("attributions")
        indexes = [models.Index(fields=["campaign"], name="marketing_attr_campaign")]

    def __str__(self) -> str:
        return f"{self.contact_id} ← {self.campaign_id}"


class SendChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    TELEGRAM = "telegram", _("Telegram")


class SendStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    DONE = "done", _("Done")


class BulkSend(TimeStampedModel):
    """One message to every member of a segment, queued in the outbox contact by contact."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    segment = models.ForeignKey(
        Segment, verbose_name=_("segment"), on_delete=models.PROTECT, related_name="sends"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=SendChannel.choices)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=8, choices=SendStatus.choices, default=SendStatus.QUEUED
    )
    # Members when the send began; queued so far (blocked ones included: the outbox keeps why).
    total = models.PositiveIntegerField(_("recipients"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    # Where the background job resumes: members are sent in id order.
    last_contact_id = models.BigIntegerField(default=0, editable=False)
    # Site address for the unsubscribe links (the job has no request to ask).
    base_url = models.CharField(max_length=200, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bulk message")
        verbose_name_plural = _("bulk messages")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.segment_id}: {self.channel} ({self.status})"

    @property
    def key_prefix(self) -> str:
        """Start of the outbox idempotency key of each of this send's messages."""
        return f"marketing:{self.uuid}:"
