from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from hamkor.accounts.models import ApiToken, Team, User


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
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("key_hash", "prefix")
