"""Admin screens: the lists admins maintain (sources, tags, custom fields) and raw records."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from hamkor.contacts.models import (
    ChannelConsent,
    Company,
    Contact,
    ContactEmail,
    ContactPhone,
    CustomFieldDefinition,
    FieldType,
    ImportantDate,
    Source,
    Tag,
)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin[Source]):
    list_display = ("name", "position", "is_active")
    list_editable = ("position", "is_active")
    search_fields = ("name",)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin[Tag]):
    search_fields = ("name",)


class CustomFieldForm(forms.ModelForm[CustomFieldDefinition]):
    class Meta:
        model = CustomFieldDefinition
        fields = (
            "entity",
            "key",
            "label",
            "field_type",
            "choices",
            "required",
            "position",
            "is_active",
        )

    def clean(self) -> dict[str, object]:
        data: dict[str, object] = super().clean() or {}
        if data.get("field_type") == FieldType.CHOICE and not data.get("choices"):
            raise ValidationError({"choices": _("A choice field needs at least one choice.")})
        return data


@admin.register(CustomFieldDefinition)
class CustomFieldDefinitionAdmin(admin.ModelAdmin[CustomFieldDefinition]):
    form = CustomFieldForm
    list_display = ("label", "entity", "key", "field_type", "required", "is_active", "position")
    list_filter = ("entity", "field_type", "is_active")
    prepopulated_fields = {"key": ("label",)}


class PhoneInline(admin.TabularInline[ContactPhone, Contact]):
    model = ContactPhone
    extra = 0


class EmailInline(admin.TabularInline[ContactEmail, Contact]):
    model = ContactEmail
    extra = 0


class DateInline(admin.TabularInline[ImportantDate, Contact]):
    model = ImportantDate
    extra = 0


class ConsentInline(admin.TabularInline[ChannelConsent, Contact]):
    """Shown, never edited here: a change must go through the consent history."""

    model = ChannelConsent
    extra = 0
    can_delete = False
    readonly_fields = ("channel", "granted", "method", "recorded_at", "recorded_by", "note")

    def has_add_permission(self, request: HttpRequest, obj: Contact | None = None) -> bool:
        return False


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin[Contact]):
    list_display = ("__str__", "company", "stage", "owner", "team", "city", "archived_at")
    list_filter = ("stage", "team", "source", "language")
    search_fields = ("first_name", "last_name", "phones__number", "emails__email")
    raw_id_fields = ("company", "merged_into")
    inlines = (PhoneInline, EmailInline, DateInline, ConsentInline)
    readonly_fields = ("search_text", "name_key", "created_at", "updated_at")


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin[Company]):
    list_display = ("name", "city", "owner", "team", "archived_at")
    list_filter = ("team",)
    search_fields = ("name", "legal_name", "tax_id")
    readonly_fields = ("search_text", "created_at", "updated_at")
