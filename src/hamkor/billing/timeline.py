"""Invoices and payments on the customer timeline (drafts stay off it)."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamkor.billing.models import Invoice, InvoiceStatus, Payment
from hamkor.billing.permissions import sees_invoices
from hamkor.core.money import format_money
from hamkor.core.timeline import TimelineEntry, TimelineQuery, TimelineSource, register_source

CHANNEL = "invoice"
# An id no real invoice has, replaced in the reversed URL by each invoice's id.
URL_PLACEHOLDER = 987654321


def _customer_match(query: TimelineQuery, prefix: str = "") -> Q | None:
    if not query.contact_ids and not query.company_ids:
        return None
    if query.channel and query.channel != CHANNEL:
        return None
    match = Q()
    if query.contact_ids:
        match |= Q(**{f"{prefix}contact_id__in": query.contact_ids})
    if query.company_ids:
        match |= Q(**{f"{prefix}company_id__in": query.company_ids})
    return match


def _url(pk: int) -> str:
    url = reverse("billing:invoice_detail", args=[URL_PLACEHOLDER])
    return url.replace(str(URL_PLACEHOLDER), str(pk), 1)


def invoice_entries(query: TimelineQuery) -> list[TimelineEntry]:
    """Issued invoices of the given customers, newest first: number, total, status."""
    match = _customer_match(query)
    if match is None:
        return []
    invoices = (
        Invoice.objects.filter(match)
        .exclude(status=InvoiceStatus.DRAFT)
        .select_related("created_by")
        .order_by("-issued_at", "-id")[: query.limit]
    )
    statuses = {value: str(label) for value, label in InvoiceStatus.choices}
    label = str(_("Invoices"))
    # Translators: a timeline title, e.g. "Invoice 2026-000012 — 3 360 000 soʻm".
    title = _("Invoice %(number)s — %(total)s")
    return [
        TimelineEntry(
            occurred_at=invoice.issued_at or invoice.created_at,
            kind="invoice",
            object_id=invoice.pk,
            title=title
            % {
                "number": invoice.number,
                "total": format_money(invoice.gross_total, invoice.currency),
            },
            channel=CHANNEL,
            channel_label=label,
            body=invoice.notes,
            outcome=statuses.get(invoice.status, invoice.status),
            actor=str(invoice.created_by) if invoice.created_by else "",
            url=_url(invoice.pk),
            extra={"status": invoice.status},
        )
        for invoice in invoices
    ]


def payment_entries(query: TimelineQuery) -> list[TimelineEntry]:
    """Payments against the given customers' invoices, newest first."""
    match = _customer_match(query, prefix="invoice__")
    if match is None:
        return []
    payments = (
        Payment.objects.filter(match)
        .select_related("invoice", "method", "created_by")
        .order_by("-paid_on", "-id")[: query.limit]
    )
    label = str(_("Invoices"))
    # Translators: a timeline title, e.g. "Payment 1 000 000 soʻm for invoice 2026-000012".
    title = _("Payment %(amount)s for invoice %(number)s")
    zone = timezone.get_current_timezone()
    entries = []
    for payment in payments:
        # A payment has a date, not a time: place it at noon of that day, but never after
        # the moment it was recorded (so "today" does not jump ahead of later entries).
        noon = datetime.datetime.combine(payment.paid_on, datetime.time(12), tzinfo=zone)
        entries.append(
            TimelineEntry(
                occurred_at=min(noon, payment.created_at),
                kind="payment",
                object_id=payment.pk,
                title=title
                % {
                    "amount": format_money(payment.amount, payment.currency),
                    "number": payment.invoice.number,
                },
                channel=CHANNEL,
                channel_label=label,
                body=payment.reference,
                outcome=str(payment.method) if payment.method else "",
                actor=str(payment.created_by) if payment.created_by else "",
                url=_url(payment.invoice_id),
            )
        )
    entries.sort(key=lambda entry: entry.occurred_at, reverse=True)
    return entries


def register() -> None:
    channels = [(CHANNEL, gettext_lazy("Invoices"))]
    register_source(
        TimelineSource(
            kind="invoice",
            label=gettext_lazy("Invoices"),
            fetch=invoice_entries,
            channels=channels,
            visible_to=sees_invoices,
        )
    )
    register_source(
        TimelineSource(
            kind="payment",
            label=gettext_lazy("Payments"),
            fetch=payment_entries,
            channels=channels,
            visible_to=sees_invoices,
        )
    )
