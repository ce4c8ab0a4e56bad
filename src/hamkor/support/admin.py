from django.contrib import admin

from hamkor.support.models import (
    ArticleCategory,
    SatisfactionAnswer,
    SlaPolicy,
    Ticket,
    TicketMessage,
    WorkingCalendar,
)


class TicketMessageInline(admin.TabularInline[TicketMessage, Ticket]):
    model = TicketMessage
    extra = 0
    can_delete = False
    fields = ("created_at", "author_user", "author_contact", "internal", "body")
    readonly_fields = fields

    def has_add_permission(self, request: object, obj: Ticket | None = None) -> bool:
        return False


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin[Ticket]):
    """Read-mostly: status changes go through the service (and tell the customer)."""

    list_display = ("id", "subject", "contact", "status", "priority", "assignee", "created_at")
    list_filter = ("status", "priority", "type", "channel")
    search_fields = ("subject",)
    raw_id_fields = ("contact", "company", "assignee")
    readonly_fields = ("status", "first_response_at", "resolved_at", "closed_at", "paused_at")
    inlines = [TicketMessageInline]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin[SlaPolicy]):
    list_display = ("priority", "first_response_minutes", "resolution_minutes")


@admin.register(WorkingCalendar)
class WorkingCalendarAdmin(admin.ModelAdmin[WorkingCalendar]):
    list_display = ("time_zone", "updated_at")


@admin.register(ArticleCategory)
class ArticleCategoryAdmin(admin.ModelAdmin[ArticleCategory]):
    list_display = ("name", "position")


@admin.register(SatisfactionAnswer)
class SatisfactionAnswerAdmin(admin.ModelAdmin[SatisfactionAnswer]):
    list_display = ("ticket", "agent", "score", "answered_at")
    readonly_fields = ("ticket", "agent", "score", "comment", "answered_at")
