from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from hamkor.accounts.models import ApiCallLog, ApiToken, Team, TwoFactorRequirement, User


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ("username", "first_name", "last_name", "role", "team", "is_active")
    list_filter = ("role", "team", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("Hamkor", {"fields": ("role", "team", "language", "time_zone")}),
    )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "created_at")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "name",
        "user",
        "prefix",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("scope",)
    readonly_fields = ("key_hash", "prefix")


@admin.register(TwoFactorRequirement)
class TwoFactorRequirementAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("role", "created_at")


@admin.register(ApiCallLog)
class ApiCallLogAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: the log is evidence, written only by the API itself."""

    list_display = ("at", "method", "path", "status_code", "duration_ms", "user", "token", "ip")
    list_filter = ("method", "status_code")
    search_fields = ("path", "user__username", "token__prefix")
    list_select_related = ("user", "token")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
