"""Import jobs: an uploaded file, what it holds, how its columns map, and how the run went."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hamkor.core.models import TimeStampedModel


class ImportEntity(models.TextChoices):
    CONTACT = "contact", _("Contacts")
    COMPANY = "company", _("Companies")
    PRODUCT = "product", _("Products")
    ORDER = "order", _("Orders")


class DuplicateMode(models.TextChoices):
    SKIP = "skip", _("Skip rows that match an existing record")
    UPDATE = "update", _("Update the matching record")
    CREATE = "create", _("Create a new record anyway")


class JobStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    QUEUED = "queued", _("Queued")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ImportJob(TimeStampedModel):
    """One uploaded file and its import; ``applied_at`` set once, so a retry never applies twice."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=16)
    entity = models.CharField(_("import"), max_length=16, choices=ImportEntity.choices)
    headers = models.JSONField(_("columns"), default=list, blank=True)
    # Column header -> field key; unmapped columns are left out.
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    duplicates = models.CharField(
        _("duplicates"), max_length=8, choices=DuplicateMode.choices, default=DuplicateMode.SKIP
    )
    skip_bad_rows = models.BooleanField(_("skip rows with errors"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.UPLOADED
    )
    # The last run was a dry run (nothing written) or the real import.
    dry_run = models.BooleanField(_("dry run"), default=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    new_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # The first errors, for the page and the API; the full list is in errors_file.
    error_sample = models.JSONField(_("first errors"), default=list, blank=True)
    errors_file = models.FileField(_("errors file"), upload_to="imports/errors/%Y/%m/", blank=True)
    message = models.TextField(_("message"), blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    applied_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="imports_job_by_user")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_running(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.CHECKING, JobStatus.IMPORTING)

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status in (JobStatus.CHECKED, JobStatus.DONE) else 0
        return min(100, self.processed_rows * 100 // self.total_rows)
