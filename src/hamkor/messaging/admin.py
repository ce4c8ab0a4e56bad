from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from hamkor.messaging.models import ContactMessagingPrefs, MessageTemplate, OutboundMessage
from hamkor.messaging.services.templating import validate_template_source


class MessageTemplateForm(forms.ModelForm[MessageTemplate]):
    class Meta:
        model = MessageTemplate
        fields = ["key", "name", "language", "channel", "subject", "body", "is_active"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # A template that does not compile is refused here, not when a customer is waiting.
        validate_template_source(subject=cleaned.get("subject", ""), body=cleaned.get("body", ""))
        return cleaned


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin[MessageTemplate]):
    form = MessageTemplateForm
    list_display = ("name", "key", "language", "channel", "is_active")
    list_filter = ("language", "channel", "is_active")


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin[OutboundMessage]):
    list_display = ("created_at", "channel", "kind", "status", "to_address", "attempts")
    list_filter = ("status", "channel", "kind")
    search_fields = ("to_address", "idempotency_key", "provider_message_id")
    readonly_fields = [f.name for f in OutboundMessage._meta.fields]


admin.site.register(ContactMessagingPrefs)
