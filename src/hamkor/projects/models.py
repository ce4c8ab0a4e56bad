"""Projects, their tasks, workflow templates that create them, and time spent on them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hamkor.accounts.models import Role, TeamOwned
from hamkor.contacts.models import Company, Contact
from hamkor.core.models import TimeStampedModel
from hamkor.sales.models import Deal


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    ON_HOLD = "on_hold", _("On hold")
    DONE = "done", pgettext_lazy("project status", "Done")
    CANCELLED = "cancelled", pgettext_lazy("project status", "Cancelled")


class WorkflowTemplate(TimeStampedModel):
    """A reusable recipe: starting a project from it creates one task per step."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("workflow template")
        verbose_name_plural = _("workflow templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkflowStep(models.Model):
    template = models.ForeignKey(
        WorkflowTemplate, verbose_name=_("template"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    role = models.CharField(_("role responsible"), max_length=16, choices=Role.choices)
    # Deadline relative to the previous step's deadline (the project start for the first step).
    offset_working_days = models.PositiveIntegerField(
        _("working days after the previous step"), default=1
    )
    estimate_hours = models.DecimalField(
        _("estimate (hours)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # A step that waits for the previous one becomes ready only when that one is done.
    waits_for_previous = models.BooleanField(_("waits for the previous step"), default=True)
    handoff_note = models.TextField(_("hand-off note"), blank=True)

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "position"], name="projects_step_unique_position"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Project(TimeStampedModel, TeamOwned):
    """Work delivered for a customer; the owner is the project manager."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    deal = models.ForeignKey(
        Deal,
        verbose_name=_("deal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    template = models.ForeignKey(
        WorkflowTemplate,
        verbose_name=_("started from template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    budget_hours = models.DecimalField(
        _("budget (hours)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_amount = models.DecimalField(
        _("budget (amount)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact__isnull=False) | Q(company__isnull=False),
                name="projects_project_has_customer",
            ),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(due_date__gte=F("start_date")),
                name="projects_project_dates",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="projects_project_status_due"),
        ]

    def __str__(self) -> str:
        return self.name


class TaskStatus(models.TextChoices):
    TODO = "todo", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting")
    DONE = "done", pgettext_lazy("task status", "Done")


class Task(TimeStampedModel):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="project_tasks",
    )
    # Unassigned tasks with a role wait for anyone with that role to pick them up.
    role = models.CharField(
        _("role to pick it up"), max_length=16, choices=Role.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.TODO
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    estimate_hours = models.DecimalField(
        _("estimate (hours)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    step = models.ForeignKey(
        WorkflowStep,
        verbose_name=_("template step"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    depends_on: models.ManyToManyField[Task, TaskDependency] = models.ManyToManyField(
        "self",
        verbose_name=_("waits for"),
        symmetrical=False,
        blank=True,
        through="TaskDependency",
        related_name="blocks",
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["project", "position", "id"]
        indexes = [
            models.Index(fields=["assignee", "status", "due_date"], name="projects_task_assignee"),
            # Covering: the risk list's overdue count and the workload sum read this index
            # alone, never the task rows (40 -> 7 ms and 160 -> 65 ms on 100,000 tasks).
            models.Index(
                fields=["status", "due_date", "project", "assignee", "estimate_hours"],
                name="projects_task_status_cover",
            ),
            models.Index(fields=["role", "status"], name="projects_task_role"),
        ]

    def __str__(self) -> str:
        return self.title


class TaskDependency(models.Model):
    """``task`` cannot start before ``depends_on`` is done."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="dependency_links")
    depends_on = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="dependent_links")

    class Meta:
        verbose_name = _("task dependency")
        verbose_name_plural = _("task dependencies")
        constraints = [
            models.UniqueConstraint(fields=["task", "depends_on"], name="projects_dep_unique"),
            models.CheckConstraint(
                condition=~Q(task=F("depends_on")), name="projects_dep_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} ← {self.depends_on_id}"


class ChecklistItem(models.Model):
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="checklist"
    )
    text = models.CharField(_("text"), max_length=300)
    done = models.BooleanField(_("done"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["task", "position", "id"]

    def __str__(self) -> str:
        return self.text


class TaskComment(models.Model):
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["task", "created_at", "id"]

    def __str__(self) -> str:
        return self.body[:50]


class TaskAttachment(models.Model):
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="tasks/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["task", "created_at", "id"]

    def __str__(self) -> str:
        return self.name


class Holiday(models.Model):
    """A day off that working-day deadlines skip, besides the weekend."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class WorkCapacity(models.Model):
    """How many hours a week a person can take on; workload compares open hours with it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="work_capacity",
    )
    weekly_hours = models.DecimalField(
        _("hours per week"),
        max_digits=5,
        decimal_places=2,
        default=40,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("work capacity")
        verbose_name_plural = _("work capacities")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.weekly_hours}"


class HourlyRate(models.Model):
    """A billing rate for one user, project or task; the most specific one applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="hourly_rates",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="hourly_rates",
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="hourly_rates",
    )
    rate = models.DecimalField(
        _("rate per hour"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3)

    class Meta:
        verbose_name = _("hourly rate")
        verbose_name_plural = _("hourly rates")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(user__isnull=False, project__isnull=True, task__isnull=True)
                    | Q(user__isnull=True, project__isnull=False, task__isnull=True)
                    | Q(user__isnull=True, project__isnull=True, task__isnull=False)
                ),
                name="projects_rate_one_target",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(user__isnull=False), name="projects_rate_user"
            ),
            models.UniqueConstraint(
                fields=["project"], condition=Q(project__isnull=False), name="projects_rate_project"
            ),
            models.UniqueConstraint(
                fields=["task"], condition=Q(task__isnull=False), name="projects_rate_task"
            ),
            models.CheckConstraint(condition=Q(rate__gte=0), name="projects_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.rate} {self.currency}"


class TimeEntry(TimeStampedModel):
    """Time a user spent on a project (and maybe one of its tasks).

    A running timer has no ``ended_at``; each user has at most one. ``invoiced_at`` is set by
    the billing app through ``projects.services`` and makes the entry read-only until the
    invoice is voided.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="time_entries",
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="time_entries"
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="time_entries",
    )
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("minutes"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    billable = models.BooleanField(_("billable"), default=True)
    # The rate in force when the entry was made, kept so later rate changes do not
    # rewrite what was worked.
    rate = models.DecimalField(
        _("rate per hour"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    invoiced_at = models.DateTimeField(_("invoiced"), null=True, blank=True)
    invoice_number = models.CharField(_("invoice"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(ended_at__isnull=True),
                name="projects_one_running_timer",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="projects_time_order",
            ),
        ]
        indexes = [
            models.Index(
                fields=["project", "billable", "invoiced_at"], name="projects_time_unbilled"
            ),
            models.Index(fields=["user", "-started_at"], name="projects_time_user"),
            models.Index(fields=["task"], name="projects_time_task"),
            # Covering: minutes per task (rebuilding totals, a task's hours) from the index.
            models.Index(fields=["task", "minutes"], name="projects_time_task_minutes"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.started_at:%Y-%m-%d} {self.minutes or 0} min"


class ProjectTimeTotal(models.Model):
    """Finished time on a project per (billable, currency): minutes and minutes x rate.

    Kept by ``projects.services.time`` on every change to an entry (rebuilt from the entries
    by ``rebuild_time_totals``), so the risk list reads one row per project, not every entry.
    """

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="time_totals"
    )
    billable = models.BooleanField(_("billable"))
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    minutes = models.BigIntegerField(_("minutes"), default=0)
    # Sum of minutes x hourly rate; divide by 60 for money.
    rate_minutes = models.DecimalField(
        _("minutes x rate"), max_digits=24, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("project time total")
        verbose_name_plural = _("project time totals")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "billable", "currency"], name="projects_total_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.minutes} min"


class TaskTimeTotal(models.Model):
    """Finished minutes logged on a task, kept like ``ProjectTimeTotal`` (for workload)."""

    task = models.OneToOneField(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="time_total"
    )
    minutes = models.BigIntegerField(_("minutes"), default=0)

    class Meta:
        verbose_name = _("task time total")
        verbose_name_plural = _("task time totals")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.minutes} min"
