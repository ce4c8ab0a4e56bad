"""Consent history: one append-only row per thing a customer agreed to or withdrew.

The current state of a (contact, purpose, channel) is its latest record by ``recorded_at``.
For marketing on email, SMS and Telegram that state is also kept in ``contacts.ChannelConsent``
(the contact card, segments, the portal and bulk sends read it); the consent service writes
both in one transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hamkor.contacts.models import ConsentMethod, Contact


class Purpose(models.TextChoices):
    # Offers, news, greetings, surveys: needs a "yes" on record.
    MARKETING = "marketing", _("Marketing")
    # Answers to what the customer did (ticket, booking, invoice): sent unless withdrawn.
    SERVICE = "service", _("Service messages")


class Channel(models.TextChoices):
    """contacts.ConsentChannel plus phone calls, which no sender checks but staff look up."""

    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    TELEGRAM = "telegram", _("Telegram")
    PHONE = "phone", pgettext_lazy("consent channel", "Phone calls")


class ConsentRecord(models.Model):
    """A customer gave (granted) or withdrew consent for one purpose on one channel.

    Never changed or deleted by the application: a withdrawal is a new record.
    """

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="consent_records", verbose_name=_("contact")
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    granted = models.BooleanField(_("granted"))
    method = models.CharField(_("how"), max_length=16, choices=ConsentMethod.choices)
    text_shown = models.TextField(
        _("text shown"),
        blank=True,
        help_text=_("The exact wording the customer saw and agreed to (or wrote to withdraw)."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where it came from, e.g. a web form or message number."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # When the customer said it (may be earlier than created_at: a paper form typed in later).
    recorded_at = models.DateTimeField(_("when"))
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-recorded_at", "-id"]
        indexes = [
            # The latest record of one contact, purpose and channel is one index probe.
            models.Index(
                fields=["contact", "purpose", "channel", "-recorded_at", "-id"],
                name="consent_record_latest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.purpose}/{self.channel}: {self.granted}"
