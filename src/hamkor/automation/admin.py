from django.contrib import admin

from hamkor.automation.models import Rule, RuleRun, WebhookDelivery, WebhookEndpoint


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin[Rule]):
    """Read-mostly: rules are built in the app, where their parts are checked."""

    list_display = ("name", "trigger", "enabled", "owner", "key", "updated_at")
    list_filter = ("enabled", "trigger")
    search_fields = ("name", "description")
    readonly_fields = ("trigger", "trigger_params", "conditions", "actions", "key", "verb")


@admin.register(RuleRun)
class RuleRunAdmin(admin.ModelAdmin[RuleRun]):
    list_display = ("started_at", "rule", "target_type", "target_id", "status")
    list_filter = ("status", "rule")
    date_hierarchy = "started_at"

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin[WebhookEndpoint]):
    list_display = ("name", "url", "is_active", "updated_at")
    list_filter = ("is_active",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin[WebhookDelivery]):
    list_display = ("created_at", "endpoint", "event", "status", "attempts", "status_code")
    list_filter = ("status", "endpoint")
    date_hierarchy = "created_at"

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
