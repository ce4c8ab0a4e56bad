"""Consent records in the admin: read-only, because the history is append-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hamkor.consent.models import ConsentRecord


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin[ConsentRecord]):
    list_display = ("contact", "purpose", "channel", "granted", "method", "recorded_at")
    list_filter = ("purpose", "channel", "granted", "method")
    raw_id_fields = ("contact", "recorded_by")
    date_hierarchy = "recorded_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        # New records go through the consent service, which also updates the current state.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
