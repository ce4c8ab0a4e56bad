"""Code requests, read-only: support can see who asked for a login code and what became of it."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from hamkor.portal.models import LoginCode


@admin.register(LoginCode)
class LoginCodeAdmin(admin.ModelAdmin[LoginCode]):
    list_display = (
        "address",
        "channel",
        "contact",
        "client_ip",
        "created_at",
        "used_at",
        "failed_attempts",
    )
    list_filter = ("channel",)
    search_fields = ("address", "client_ip")
    # The code's hash stays out of sight; nothing here may be changed by hand.
    exclude = ("code_hash",)
    list_select_related = ("contact",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: LoginCode | None = None) -> bool:
        return False
