"""Invoices, their lines, payments against them, tax rates and the yearly number counter.

Money is a ``Decimal`` in the invoice's currency, rounded to the currency's minor unit
(see ``services/totals.py`` for the rounding rules). A time entry or an order line is on at
most one invoice that is not void: the link tables below have a UNIQUE column, so the
database itself refuses billing the same work twice; voiding an invoice deletes its links.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hamkor.accounts.models import TeamOwned
from hamkor.contacts.models import Company, Contact
from hamkor.core.models import TimeStampedModel
from hamkor.projects.models import TimeEntry
from hamkor.sales.models import OrderLine, PaymentType

ZERO = Decimal("0")


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("invoice status", "Draft")
    ISSUED = "issued", _("Issued")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", pgettext_lazy("invoice status", "Paid")
    VOID = "void", _("Void")


class LineKind(models.TextChoices):
    TIME = "time", _("Time")
    ORDER = "order", pgettext_lazy("invoice line kind", "Order")
    FREE = "free", _("Other")


class TaxRate(models.Model):
    """A tax rate that can go on invoice lines; one of them is the default."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    percent = models.DecimalField(
        _("rate, %"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )
    is_default = models.BooleanField(_("default"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("tax rate")
        verbose_name_plural = _("tax rates")
        ordering = ["-is_default", "percent", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="billing_one_default_tax"
            ),
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100), name="billing_tax_percent"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class InvoiceNumberSequence(models.Model):
    """The last invoice number given out in a year; issuing locks and bumps this row."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("invoice number sequence")
        verbose_name_plural = _("invoice number sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Invoice(TimeStampedModel, TeamOwned):
    """A bill to a customer. Drafts have no number; issuing numbers it and fixes the rate."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # "2026-000123"; empty until issued, so deleting a draft leaves no gap in the numbers.
    number = models.CharField(_("number"), max_length=32, null=True, blank=True, unique=True)
    number_year = models.PositiveIntegerField(null=True, blank=True, editable=False)
    number_seq = models.PositiveIntegerField(null=True, blank=True, editable=False)
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"), max_length=16, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    payment_terms_days = models.PositiveIntegerField(
        _("payment terms (days)"), default=14, validators=[MaxValueValidator(365)]
    )
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # Base-currency units for one unit of the invoice currency on the issue date.
    exchange_rate = models.DecimalField(
        _("exchange rate"), max_digits=20, decimal_places=8, null=True, blank=True
    )
    net_total = models.DecimalField(_("net"), max_digits=16, decimal_places=2, default=ZERO)
    tax_total = models.DecimalField(_("tax"), max_digits=16, decimal_places=2, default=ZERO)
    gross_total = models.DecimalField(_("total"), max_digits=16, decimal_places=2, default=ZERO)
    paid_total = models.DecimalField(_("paid"), max_digits=16, decimal_places=2, default=ZERO)
    balance = models.DecimalField(_("balance due"), max_digits=16, decimal_places=2, default=ZERO)
    notes = models.TextField(_("notes"), blank=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    void_reason = models.CharField(_("reason for voiding"), max_length=255, blank=True)
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact__isnull=False) | Q(company__isnull=False),
                name="billing_invoice_has_customer",
            ),
            models.UniqueConstraint(
                fields=["number_year", "number_seq"], name="billing_invoice_number_per_year"
            ),
            models.CheckConstraint(
                condition=Q(status=InvoiceStatus.DRAFT) | Q(number__isnull=False),
                name="billing_issued_has_number",
            ),
            models.CheckConstraint(
                condition=Q(net_total__gte=0)
                & Q(tax_total__gte=0)
                & Q(paid_total__gte=0)
                & Q(paid_total__lte=F("gross_total")),
                name="billing_invoice_totals",
            ),
            models.CheckConstraint(
                condition=Q(balance=F("gross_total") - F("paid_total")),
                name="billing_invoice_balance",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="billing_invoice_status_due"),
            models.Index(fields=["contact", "-created_at"], name="billing_invoice_contact"),
            models.Index(fields=["company", "-created_at"], name="billing_invoice_company"),
        ]

    def __str__(self) -> str:
        if self.number:
            return str(_("Invoice %(number)s") % {"number": self.number})
        return str(_("Draft invoice #%(id)s") % {"id": self.pk})

    @property
    def customer_name(self) -> str:
        if self.company_id and self.contact_id:
            return f"{self.company} · {self.contact}"
        return str(self.company or self.contact or "")


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=8, choices=LineKind.choices)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=3, validators=[MinValueValidator(ZERO)]
    )
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    discount_percent = models.DecimalField(
        _("discount, %"),
        max_digits=5,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )
    line_net = models.DecimalField(_("net"), max_digits=16, decimal_places=2)
    tax_rate = models.DecimalField(
        _("tax, %"),
        max_digits=5,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )
    tax_amount = models.DecimalField(_("tax"), max_digits=16, decimal_places=2, default=ZERO)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="billing_line_quantity"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="billing_line_price"),
            models.CheckConstraint(
                condition=Q(tax_rate__gte=0) & Q(tax_rate__lte=100), name="billing_line_tax"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def line_gross(self) -> Decimal:
        return self.line_net + self.tax_amount


class InvoiceTimeEntry(models.Model):
    """A time entry billed on a line; UNIQUE: no entry is on two live invoices."""

    line = models.ForeignKey(InvoiceLine, on_delete=models.CASCADE, related_name="time_links")
    time_entry = models.OneToOneField(
        TimeEntry, on_delete=models.PROTECT, related_name="invoice_link"
    )

    class Meta:
        verbose_name = _("billed time entry")
        verbose_name_plural = _("billed time entries")

    def __str__(self) -> str:
        return f"{self.line_id}: {self.time_entry_id}"


class InvoiceOrderLine(models.Model):
    """An order line billed on an invoice line; UNIQUE: no order line is billed twice."""

    line = models.ForeignKey(InvoiceLine, on_delete=models.CASCADE, related_name="order_links")
    order_line = models.OneToOneField(
        OrderLine, on_delete=models.PROTECT, related_name="invoice_link"
    )

    class Meta:
        verbose_name = _("billed order line")
        verbose_name_plural = _("billed order lines")

    def __str__(self) -> str:
        return f"{self.line_id}: {self.order_line_id}"


class Payment(models.Model):
    """Money received against an invoice, in the invoice's currency."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    paid_on = models.DateField(_("date paid"))
    method = models.ForeignKey(
        PaymentType,
        verbose_name=_("method"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_payment_positive")
        ]
        indexes = [models.Index(fields=["invoice", "paid_on"], name="billing_payment_invoice")]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
