"""Admin screens for what administrators keep: holidays, capacities, templates; projects and
tasks are listed for lookup (their rules live in the services, so they are edited in the app)."""

from __future__ import annotations

from django.contrib import admin

from hamkor.projects.models import (
    Holiday,
    Project,
    Task,
    WorkCapacity,
    WorkflowStep,
    WorkflowTemplate,
)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin[Holiday]):
    list_display = ("date", "name")
    search_fields = ("name",)
    date_hierarchy = "date"


@admin.register(WorkCapacity)
class WorkCapacityAdmin(admin.ModelAdmin[WorkCapacity]):
    list_display = ("user", "weekly_hours")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("user",)


class WorkflowStepInline(admin.TabularInline[WorkflowStep, WorkflowTemplate]):
    model = WorkflowStep
    fields = ("position", "title", "role", "offset_working_days", "waits_for_previous")
    ordering = ("position", "id")
    extra = 0


@admin.register(WorkflowTemplate)
class WorkflowTemplateAdmin(admin.ModelAdmin[WorkflowTemplate]):
    list_display = ("name", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("name",)
    inlines = (WorkflowStepInline,)


# Status changes must go through the services (dependencies, hand-offs, audit): read-only here.
class _ReadOnly:
    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Project)
class ProjectAdmin(_ReadOnly, admin.ModelAdmin[Project]):
    list_display = ("name", "status", "company", "contact", "owner", "due_date")
    list_filter = ("status",)
    search_fields = ("name", "company__name", "contact__last_name")
    list_select_related = ("company", "contact", "owner")


@admin.register(Task)
class TaskAdmin(_ReadOnly, admin.ModelAdmin[Task]):
    list_display = ("title", "project", "status", "assignee", "role", "due_date")
    list_filter = ("status", "role")
    search_fields = ("title", "project__name")
    list_select_related = ("project", "assignee")
