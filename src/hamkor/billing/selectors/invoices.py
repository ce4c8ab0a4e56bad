"""Reading invoices and payments, scoped to the viewer.

Finance, managers and administrators see every invoice; sales staff see the invoices of
customers they can see (the contacts visibility rule); everyone else sees none.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from hamkor.accounts.models import User
from hamkor.billing.models import Invoice, InvoiceLine, InvoiceStatus, Payment, TaxRate
from hamkor.billing.permissions import manages_billing, sees_invoices
from hamkor.contacts.models import Company, Contact
from hamkor.contacts.selectors import visible

INVOICE_RELATED = ("contact", "company", "created_by")


@dataclass(frozen=True)
class InvoiceFilters:
    status: str = ""
    q: str = ""
    contact_id: int | None = None
    company_id: int | None = None


def visible_invoices(viewer: User) -> QuerySet[Invoice]:
    """Invoices the viewer may see (see the module docstring)."""
    invoices = Invoice.objects.all()
    if manages_billing(viewer):
        return invoices
    if not sees_invoices(viewer):
        return invoices.none()
    contacts = visible(Contact.objects.all(), viewer).values("pk")
    companies = visible(Company.objects.all(), viewer).values("pk")
    return invoices.filter(Q(contact_id__in=contacts) | Q(company_id__in=companies))


def list_invoices(*, viewer: User, filters: InvoiceFilters | None = None) -> QuerySet[Invoice]:
    """Visible invoices, newest first; ``q`` matches the number or the customer's name."""
    filters = filters or InvoiceFilters()
    invoices = visible_invoices(viewer)
    if filters.status:
        invoices = invoices.filter(status=filters.status)
    if filters.contact_id:
        invoices = invoices.filter(contact_id=filters.contact_id)
    if filters.company_id:
        invoices = invoices.filter(company_id=filters.company_id)
    term = filters.q.strip()
    if term:
        match = (
            Q(number__icontains=term)
            | Q(company__name__icontains=term)
            | Q(contact__first_name__icontains=term)
            | Q(contact__last_name__icontains=term)
        )
        invoices = invoices.filter(match)
    return invoices.select_related(*INVOICE_RELATED).order_by("-created_at", "-id")


def with_details(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """Prefetch lines (in order) and payments (with their method)."""
    return invoices.prefetch_related(
        Prefetch("lines", queryset=InvoiceLine.objects.order_by("position", "id")),
        Prefetch(
            "payments", queryset=Payment.objects.select_related("method").order_by("paid_on", "id")
        ),
    )


def get_invoice(*, viewer: User, pk: int) -> Invoice:
    """One visible invoice with lines and payments; Invoice.DoesNotExist otherwise."""
    return with_details(visible_invoices(viewer).select_related(*INVOICE_RELATED)).get(pk=pk)


def get_public_invoice(*, invoice_uuid: uuid.UUID) -> Invoice:
    """An issued (or later) invoice by UUID, for the customer's signed PDF link."""
    queryset = Invoice.objects.exclude(status=InvoiceStatus.DRAFT).select_related(
        "contact", "company"
    )
    return with_details(queryset).get(uuid=invoice_uuid)


def list_payments(*, viewer: User, invoice: Invoice) -> QuerySet[Payment]:
    """Payments of an invoice the viewer has already fetched through get_invoice."""
    if not visible_invoices(viewer).filter(pk=invoice.pk).exists():
        return Payment.objects.none()
    return (
        Payment.objects.filter(invoice=invoice)
        .select_related("method", "created_by")
        .order_by("paid_on", "id")
    )


def list_tax_rates(*, include_inactive: bool = False) -> QuerySet[TaxRate]:
    """Tax rates, the default first."""
    rates = TaxRate.objects.all()
    if not include_inactive:
        rates = rates.filter(is_active=True)
    return rates.order_by("-is_default", "percent", "name")
