"""Data-subject requests (export, erasure) and retention policies, with their run log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hamkor.contacts.models import Contact


class RequestKind(models.TextChoices):
    EXPORT = "export", _("Export")
    ERASURE = "erasure", _("Erasure")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class PrivacyRequest(models.Model):
    """One request by or for a person to see or erase their data, and when it was fulfilled.

    ``contact_id_value`` keeps the contact's id as a plain number: the log outlives the link
    (a retention run deletes the erased lead, and the FK becomes NULL).
    """

    kind = models.CharField(_("kind"), max_length=16, choices=RequestKind.choices)
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_id_value = models.PositiveBigIntegerField(_("contact id"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    fulfilled_at = models.DateTimeField(_("fulfilled"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    note = models.TextField(_("note"), blank=True)
    # The export zip, relative to the private export folder (never served as media).
    result_file = models.CharField(_("file"), max_length=255, blank=True)
    # Rows touched per table, files removed: what the request did, for the log.
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["contact_id_value"], name="privacy_request_contact")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.contact_id_value}"


class PolicyKind(models.TextChoices):
    STALE_LEADS = "stale_leads", _("Leads without interaction")


class RetentionPolicy(models.Model):
    """A rule that erases and deletes old records; the worker runs it once a dry run was
    reviewed (``reviewed_at``) and it is enabled."""

    kind = models.CharField(_("kind"), max_length=32, choices=PolicyKind.choices, unique=True)
    months = models.PositiveSmallIntegerField(_("months without interaction"), default=24)
    enabled = models.BooleanField(_("enabled"), default=False)
    last_dry_run_at = models.DateTimeField(_("last dry run"), null=True, blank=True)
    last_dry_run_count = models.PositiveIntegerField(_("matching at last dry run"), default=0)
    # Set by a person who looked at the last dry run; a change of months clears it.
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(months__gte=1), name="privacy_policy_months_positive"
            )
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class RetentionRun(models.Model):
    """One dry or real run of a policy: how many records matched and what was done."""

    policy = models.ForeignKey(
        RetentionPolicy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="runs"
    )
    dry_run = models.BooleanField(_("dry run"))
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    matched = models.PositiveIntegerField(_("matched"), default=0)
    deleted = models.PositiveIntegerField(_("deleted"), default=0)
    # Contact ids only: a name here would outlive the erasure it logs.
    sample_ids = models.JSONField(_("sample"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.policy_id} {self.started_at:%Y-%m-%d}"
