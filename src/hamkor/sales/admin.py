"""Admin screens for the lists administrators keep: products, payment types, pipelines and
the loyalty rule."""

from __future__ import annotations

from django.contrib import admin

from hamkor.sales.models import LoyaltyRule, PaymentType, Pipeline, PipelineStage, Product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin[Product]):
    list_display = ("name", "sku", "category", "unit", "price", "currency", "is_active")
    list_filter = ("is_active", "category", "currency", "unit")
    search_fields = ("name", "sku", "category")
    list_editable = ("is_active",)
    ordering = ("name", "id")


@admin.register(PaymentType)
class PaymentTypeAdmin(admin.ModelAdmin[PaymentType]):
    list_display = ("name", "position", "is_active")
    list_editable = ("position", "is_active")
    search_fields = ("name",)


class PipelineStageInline(admin.TabularInline[PipelineStage, Pipeline]):
    model = PipelineStage
    fields = ("position", "name", "probability", "outcome")
    ordering = ("position", "id")
    extra = 0


@admin.register(Pipeline)
class PipelineAdmin(admin.ModelAdmin[Pipeline]):
    list_display = ("name", "position", "is_active")
    list_editable = ("position", "is_active")
    search_fields = ("name",)
    inlines = (PipelineStageInline,)


@admin.register(LoyaltyRule)
class LoyaltyRuleAdmin(admin.ModelAdmin[LoyaltyRule]):
    list_display = (
        "__str__",
        "is_active",
        "min_orders",
        "window_days",
        "min_lifetime_value",
        "discount_percent",
    )
