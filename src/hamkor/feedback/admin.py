from django.contrib import admin

from hamkor.feedback.models import Announcement, Comment, Suggestion, Survey, SurveyResponse


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin[Announcement]):
    list_display = ("title", "status", "language", "published_at")
    list_filter = ("status", "language")
    search_fields = ("title", "body")


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin[Comment]):
    list_display = ("announcement", "contact", "created_at", "hidden_at")
    list_filter = ("hidden_at",)
    raw_id_fields = ("announcement", "contact")


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin[Suggestion]):
    """Statuses are set in the app, where voters are told; here they are read-only."""

    list_display = ("title", "status", "is_public", "created_at")
    list_filter = ("status", "is_public")
    search_fields = ("title", "description")
    raw_id_fields = ("contact",)
    readonly_fields = ("status", "public_answer")


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin[Survey]):
    list_display = ("title", "trigger", "is_active", "sent_at")
    list_filter = ("trigger", "is_active")


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin[SurveyResponse]):
    list_display = ("survey", "contact", "score", "answered_at")
    list_filter = ("survey",)
    raw_id_fields = ("recipient", "contact")

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
