"""Base models and the audit trail shared by every domain app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Audit events are appended, never changed in bulk or removed (see also the triggers)."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")

    def _redact(self, **kwargs: Any) -> int:
        # The one permitted change, used by hamkor.core.audit.redact_values; the database
        # triggers accept it only when it touches these columns and stamps redacted_at.
        if not kwargs.get("redacted_at") or set(kwargs) - REDACTABLE_COLUMNS:
            raise AppendOnlyError("a redaction may only change data and user_agent")
        return super().update(**kwargs)


REDACTABLE_COLUMNS = frozenset({"data", "user_agent", "redacted_at"})


class Via(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    CLI = "cli", _("Command line")
    WORKER = "worker", _("Background job")


class AuditEvent(models.Model):
    """One thing somebody did, kept even when its target is gone (no FK to the target).

    Append-only: ``save()`` refuses to change a stored row, ``delete()`` refuses, and database
    triggers (migration 0004) refuse UPDATE and DELETE except a redaction or an actor's removal.
    """

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
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True, default="")
    via = models.CharField(_("via"), max_length=8, choices=Via.choices, blank=True, default="")
    # "POST /api/v1/contacts/5": which request did it, for web and API calls.
    request = models.CharField(_("request"), max_length=300, blank=True, default="")
    redacted_at = models.DateTimeField(_("redacted"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="core_audit_target"),
            # The audit page filters by one of these and lists newest first.
            models.Index(fields=["verb", "-created_at"], name="core_audit_verb"),
            models.Index(fields=["actor", "-created_at"], name="core_audit_actor"),
            models.Index(fields=["target_type", "-created_at"], name="core_audit_type"),
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.target_type}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")


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
