"""Base models and the audit trail shared by every domain app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One thing somebody did, kept even when its target is gone (no FK to the target)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("record type"), max_length=64)
    target_id = models.CharField(_("record id"), max_length=64)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="core_audit_target")]

    def __str__(self) -> str:
        return f"{self.verb} {self.target_type}:{self.target_id}"


class ExchangeRate(models.Model):
    """How many units of the base currency one unit of ``currency`` cost on ``date``."""

    date = models.DateField(_("date"))
    currency = models.CharField(_("currency"), max_length=3)
    rate = models.DecimalField(_("rate"), max_digits=20, decimal_places=8)
    source = models.CharField(_("source"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-date", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["date", "currency"], name="core_rate_unique_day"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="core_rate_positive"),
        ]
        indexes = [models.Index(fields=["currency", "-date"], name="core_rate_lookup")]

    def __str__(self) -> str:
        return f"{self.date} {self.currency} {self.rate}"
