"""Interactions: every contact with a customer, on any channel."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
