from django.contrib import admin

from hamkor.billing.models import Invoice, InvoiceLine, Payment, TaxRate


@admin.register(TaxRate)
class TaxRateAdmin(admin.ModelAdmin[TaxRate]):
    list_display = ("name", "percent", "is_default", "is_active")
    list_editable = ("is_active",)


class InvoiceLineInline(admin.TabularInline[InvoiceLine, Invoice]):
    model = InvoiceLine
    extra = 0
    can_delete = False
    readonly_fields = (
        "kind",
        "description",
        "quantity",
        "unit",
        "unit_price",
        "discount_percent",
        "line_net",
        "tax_rate",
        "tax_amount",
        "position",
    )

    def has_add_permission(self, request: object, obj: Invoice | None = None) -> bool:
        return False


class PaymentInline(admin.TabularInline[Payment, Invoice]):
    model = Payment
    extra = 0
    can_delete = False
    readonly_fields = ("amount", "currency", "paid_on", "method", "reference", "created_by")

    def has_add_permission(self, request: object, obj: Invoice | None = None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin[Invoice]):
    """Read-only: invoices change only through the billing services (numbers, audit)."""

    list_display = ("__str__", "customer_name", "status", "gross_total", "balance", "currency")
    list_filter = ("status", "currency")
    search_fields = ("number", "company__name", "contact__last_name")
    inlines = (InvoiceLineInline, PaymentInline)

    def has_change_permission(self, request: object, obj: Invoice | None = None) -> bool:
        return False

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: Invoice | None = None) -> bool:
        return False
