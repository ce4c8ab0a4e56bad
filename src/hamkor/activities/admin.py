from django.contrib import admin

from hamkor.activities.models import Interaction


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin[Interaction]):
    list_display = ("occurred_at", "channel", "direction", "contact", "company", "created_by")
    list_filter = ("channel", "direction", "outcome")
    search_fields = ("subject", "body")
    raw_id_fields = ("contact", "company")
    date_hierarchy = "occurred_at"
