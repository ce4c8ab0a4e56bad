from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hamkor.core.models import AuditEvent, ExchangeRate


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the audit trail is appended by services, never edited by hand."""

    list_display = ("created_at", "actor", "verb", "target_type", "target_id", "via", "ip")
    list_filter = ("via", "verb", "target_type")
    search_fields = ("target_id", "verb", "ip")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin[ExchangeRate]):
    """Rates come from `hamkor rates import`; admins may correct or add a missing day by hand."""

    list_display = ("date", "currency", "rate", "source")
    list_filter = ("currency", "source")
    search_fields = ("currency",)
    date_hierarchy = "date"
    ordering = ("-date", "currency")
