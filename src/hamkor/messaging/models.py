"""The outbox, message templates, per-contact messaging preferences and inbound messages."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hamkor.contacts.models import Contact, Language
from hamkor.core.models import TimeStampedModel


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    TELEGRAM = "telegram", _("Telegram")


class Kind(models.TextChoices):
    # Answers something the customer did (order, booking, a reply): no quiet hours.
    TRANSACTIONAL = "transactional", _("Transactional")
    # Sent by a rule (birthday, reminder to the customer): quiet hours apply.
    AUTOMATED = "automated", _("Automated")
    MARKETING = "marketing", _("Marketing")
    # To our own staff (reminders): no consent, no quiet hours.
    STAFF = "staff", pgettext_lazy("message kind", "Staff")


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    WAITING = "waiting", _("Waiting for the allowed hours")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    BLOCKED = "blocked", _("Not sent")
    # A worker died after handing the message over and the provider cannot de-duplicate:
    # a person checks whether it arrived before sending again.
    UNKNOWN = "unknown", _("Unknown: check before resending")


# Statuses a worker may claim for sending.
CLAIMABLE = (Status.QUEUED, Status.WAITING)
# Statuses that end a message's life (a delivery report may still move sent -> delivered).
FINAL = (Status.SENT, Status.DELIVERED, Status.FAILED, Status.BLOCKED, Status.UNKNOWN)


class OutboundMessage(TimeStampedModel):
    """One message to one recipient, written before it is sent (the outbox)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbound_messages",
    )
    to_address = models.CharField(_("to"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("message"))
    html_body = models.TextField(_("HTML message"), blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    send_after = models.DateTimeField(_("send after"), db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    provider = models.CharField(_("provider"), max_length=32, blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True, db_index=True)
    # Email threading: our Message-ID, and the one we answer (In-Reply-To / References).
    email_message_id = models.CharField(max_length=255, blank=True)
    in_reply_to = models.CharField(max_length=255, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["contact", "-created_at"], name="messaging_out_contact"),
            models.Index(
                fields=["send_after"],
                condition=Q(status__in=["queued", "waiting"]),
                name="messaging_out_due",
            ),
            models.Index(
                fields=["claimed_at"], condition=Q(status="sending"), name="messaging_out_sending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.to_address or self.contact_id} ({self.status})"


class MessageTemplate(TimeStampedModel):
    """A reusable text in one language; ``key`` groups the language versions of one text."""

    key = models.SlugField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=120)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    channel = models.CharField(
        _("channel"),
        max_length=16,
        choices=Channel.choices,
        blank=True,
        help_text=_("Leave empty to use the template on every channel."),
    )
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(
        _("text"), help_text=_("Use {{ contact.first_name }}, {{ owner.name }} and similar.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["name", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "language", "channel"], name="messaging_template_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"


class ContactMessagingPrefs(models.Model):
    """Messaging facts about a contact the contacts app does not keep."""

    contact = models.OneToOneField(
        Contact, on_delete=models.CASCADE, related_name="messaging_prefs"
    )
    # Both empty: the organisation's allowed hours (HAMKOR_QUIET_HOURS).
    allowed_from = models.TimeField(_("messages allowed from"), null=True, blank=True)
    allowed_until = models.TimeField(_("messages allowed until"), null=True, blank=True)
    telegram_chat_id = models.CharField(_("Telegram chat"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("messaging preferences")
        verbose_name_plural = _("messaging preferences")
        indexes = [models.Index(fields=["telegram_chat_id"], name="messaging_prefs_tg_chat")]

    def __str__(self) -> str:
        return f"{self.contact_id}"


class InboundMessage(models.Model):
    """A message a customer sent us; ``external_id`` makes a redelivered one a no-op."""

    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    external_id = models.CharField(max_length=255)
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_messages",
    )
    from_address = models.CharField(_("from"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("message"), blank=True)
    # Email threading: the Message-ID of this mail and what it answers.
    in_reply_to = models.CharField(max_length=255, blank=True)
    reply_to_outbound = models.ForeignKey(
        OutboundMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    interaction_id = models.BigIntegerField(null=True, blank=True)
    received_at = models.DateTimeField(_("received"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"], name="messaging_inbound_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} ← {self.from_address}"
