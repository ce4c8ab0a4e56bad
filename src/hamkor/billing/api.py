"""REST API for invoices, their payments, receivables ageing and tax rates.

Finance staff, managers and administrators read and write every invoice; sales staff read
the invoices of customers they can see; others see none (404). A change an invoice's status
does not allow (issuing twice, paying a draft) answers 409.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from hamkor.billing.errors import InvoiceStateError
from hamkor.billing.models import Invoice
from hamkor.billing.pdf import pdf_response
from hamkor.billing.schemas import (
    AgeingIn,
    AgeingOut,
    FreeLineIn,
    InvoiceCreateIn,
    InvoiceFilterIn,
    InvoiceListOut,
    InvoiceOut,
    InvoiceUpdateIn,
    IssueIn,
    PaymentIn,
    PaymentOut,
    SendIn,
    SendOut,
    TaxRateListOut,
    VoidIn,
)
from hamkor.billing.selectors.ageing import BUCKETS, get_receivables_ageing
from hamkor.billing.selectors.customers import get_billing_company, get_billing_contact
from hamkor.billing.selectors.invoices import (
    InvoiceFilters,
    get_invoice,
    list_invoices,
    list_payments,
    list_tax_rates,
    with_details,
)
from hamkor.billing.services.invoices import (
    FreeLineInput,
    create_invoice,
    delete_draft,
    update_draft,
)
from hamkor.billing.services.issuing import issue_invoice, void_invoice
from hamkor.billing.services.payments import record_payment
from hamkor.billing.services.sending import send_invoice
from hamkor.contacts.api import read_query, viewer_of
from hamkor.contacts.models import Company, Contact
from hamkor.contacts.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut
from hamkor.core.paging import list_page
from hamkor.sales.models import PaymentType
from hamkor.sales.selectors.orders import get_payment_type

invoices_router = Router(tags=["invoices"])
receivables_router = Router(tags=["invoices"])
tax_rates_router = Router(tags=["invoices"])

ERRORS: dict[int, type[Schema]] = {**WRITE_ERRORS, 403: ErrorOut}
PDF_RESPONSE = {
    "responses": {
        "200": {
            "description": "The invoice PDF, in the customer's language.",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}

P = ParamSpec("P")
R = TypeVar("R")


def _answers(view: Callable[P, R]) -> Callable[P, R]:
    """Status conflicts answer 409 and missing rights 403, each with a ``detail``."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return view(*args, **kwargs)
        except InvoiceStateError as error:
            raise HttpError(409, " ".join(error.messages)) from None
        except PermissionDenied as error:
            raise HttpError(403, str(error) or _("You may not do this.")) from None

    return wrapper


def _invoice(request: HttpRequest, pk: int) -> Invoice:
    return get_invoice(viewer=viewer_of(request), pk=pk)


def _reloaded(request: HttpRequest, invoice: Invoice) -> Invoice:
    return get_invoice(viewer=viewer_of(request), pk=invoice.pk)


def _free_lines(items: Sequence[FreeLineIn] | None) -> list[FreeLineInput]:
    return [
        FreeLineInput(
            description=item.description,
            quantity=item.quantity,
            unit_price=item.unit_price,
            unit=item.unit or "",
            discount_percent=item.discount_percent or Decimal(0),
            tax_rate_percent=item.tax_rate_percent,
        )
        for item in items or ()
    ]


def _customer(
    request: HttpRequest, payload: InvoiceCreateIn
) -> tuple[Contact | None, Company | None]:
    viewer = viewer_of(request)
    errors: dict[str, str] = {}
    contact = company = None
    if payload.contact_id is not None:
        try:
            contact = get_billing_contact(viewer=viewer, pk=payload.contact_id)
        except ObjectDoesNotExist:
            errors["contact_id"] = _("There is no contact with id %(id)s that you can see.") % {
                "id": payload.contact_id
            }
    if payload.company_id is not None:
        try:
            company = get_billing_company(viewer=viewer, pk=payload.company_id)
        except ObjectDoesNotExist:
            errors["company_id"] = _("There is no company with id %(id)s that you can see.") % {
                "id": payload.company_id
            }
    if not errors and contact is None and company is None:
        errors["contact_id"] = _("Give contact_id or company_id.")
    if errors:
        raise ValidationError(errors)
    return contact, company


def _method(pk: int | None) -> PaymentType | None:
    if pk is None:
        return None
    try:
        return get_payment_type(pk=pk)
    except ObjectDoesNotExist:
        raise ValidationError(
            {"method_id": _("There is no payment type with id %(id)s.") % {"id": pk}}
        ) from None


@invoices_router.get(
    "",
    response={200: InvoiceListOut, **READ_ERRORS},
    summary="List invoices",
    description="Invoices you may see, newest first; `q` matches the number or customer.",
)
def list_invoices_view(request: HttpRequest, filters: Query[InvoiceFilterIn]) -> dict[str, Any]:
    read_query(request, filters)
    invoices = list_invoices(
        viewer=viewer_of(request),
        filters=InvoiceFilters(
            status=filters.status or "",
            q=filters.q or "",
            contact_id=filters.contact_id,
            company_id=filters.company_id,
        ),
    )
    return list_page(with_details(invoices), offset=filters.offset, limit=filters.limit)


@invoices_router.post(
    "",
    response={201: InvoiceOut, **ERRORS},
    summary="Create a draft invoice",
    description=(
        "From unbilled billable time of the customer's projects, lines of their confirmed "
        "orders and free lines. The time is marked invoiced at once; billing it twice, or an "
        "order line twice, is refused until the invoice holding it is voided."
    ),
)
@_answers
def create_invoice_view(request: HttpRequest, payload: InvoiceCreateIn) -> Status[Invoice]:
    contact, company = _customer(request, payload)
    invoice = create_invoice(
        actor=viewer_of(request),
        contact=contact,
        company=company,
        currency=payload.currency,
        time_entry_ids=payload.time_entry_ids or (),
        order_line_ids=payload.order_line_ids or (),
        free_lines=_free_lines(payload.free_lines),
        tax_rate_percent=payload.tax_rate_percent,
        notes=payload.notes or "",
        payment_terms_days=payload.payment_terms_days,
    )
    return Status(201, _reloaded(request, invoice))


@invoices_router.get(
    "/{invoice_id}", response={200: InvoiceOut, **READ_ERRORS}, summary="Get an invoice"
)
def get_invoice_view(request: HttpRequest, invoice_id: int) -> Invoice:
    return _invoice(request, invoice_id)


@invoices_router.patch(
    "/{invoice_id}",
    response={200: InvoiceOut, **ERRORS},
    summary="Change a draft invoice",
    description="Drop lines (their time is released), add free lines, set tax or notes.",
)
@_answers
def update_invoice_view(request: HttpRequest, invoice_id: int, payload: InvoiceUpdateIn) -> Invoice:
    invoice = _invoice(request, invoice_id)
    update_draft(
        actor=viewer_of(request),
        invoice=invoice,
        remove_line_ids=payload.remove_line_ids or (),
        add_free_lines=_free_lines(payload.add_free_lines),
        tax_rate_percent=payload.tax_rate_percent,
        notes=payload.notes,
        payment_terms_days=payload.payment_terms_days,
    )
    return _reloaded(request, invoice)


@invoices_router.delete(
    "/{invoice_id}",
    response={204: None, **ERRORS},
    summary="Delete a draft invoice",
    description="Drafts have no number, so no gap is left; issued invoices are voided instead.",
)
@_answers
def delete_invoice_view(request: HttpRequest, invoice_id: int) -> Status[None]:
    delete_draft(actor=viewer_of(request), invoice=_invoice(request, invoice_id))
    return Status(204, None)


@invoices_router.post(
    "/{invoice_id}/issue",
    response={200: InvoiceOut, **ERRORS},
    summary="Issue an invoice",
    description="Gives it the next number of the issue year and fixes the exchange rate.",
)
@_answers
def issue_invoice_view(request: HttpRequest, invoice_id: int, payload: IssueIn) -> Invoice:
    invoice = _invoice(request, invoice_id)
    issue_invoice(actor=viewer_of(request), invoice=invoice, issue_date=payload.issue_date)
    return _reloaded(request, invoice)


@invoices_router.post(
    "/{invoice_id}/void",
    response={200: InvoiceOut, **ERRORS},
    summary="Void an invoice",
    description="It keeps its number; its time and order lines can be billed again.",
)
@_answers
def void_invoice_view(request: HttpRequest, invoice_id: int, payload: VoidIn) -> Invoice:
    invoice = _invoice(request, invoice_id)
    void_invoice(actor=viewer_of(request), invoice=invoice, reason=payload.reason or "")
    return _reloaded(request, invoice)


@invoices_router.post(
    "/{invoice_id}/send",
    response={200: SendOut, **ERRORS},
    summary="Email an invoice to the customer",
    description="Queued in the outbox; the email links to the PDF (signed, no login needed).",
)
@_answers
def send_invoice_view(request: HttpRequest, invoice_id: int, payload: SendIn) -> dict[str, Any]:
    invoice = _invoice(request, invoice_id)
    message = send_invoice(
        actor=viewer_of(request),
        invoice=invoice,
        to_address=payload.to_address or "",
        base_url=request.build_absolute_uri("/"),
    )
    return {
        "message_id": message.pk,
        "to_address": message.to_address,
        "status": message.status,
        "error": message.error,
    }


@invoices_router.get(
    "/{invoice_id}/pdf",
    response={**READ_ERRORS},
    summary="Download an invoice as PDF",
    openapi_extra=PDF_RESPONSE,
)
def invoice_pdf_view(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = _invoice(request, invoice_id)
    return pdf_response(invoice)


@invoices_router.get(
    "/{invoice_id}/payments",
    response={200: list[PaymentOut], **READ_ERRORS},
    summary="List an invoice's payments",
)
def list_payments_view(request: HttpRequest, invoice_id: int) -> list[Any]:
    invoice = _invoice(request, invoice_id)
    return list(list_payments(viewer=viewer_of(request), invoice=invoice))


@invoices_router.post(
    "/{invoice_id}/payments",
    response={201: PaymentOut, **ERRORS},
    summary="Record a payment",
    description="Partial payments are allowed; more than the balance due is refused.",
)
@_answers
def record_payment_view(request: HttpRequest, invoice_id: int, payload: PaymentIn) -> Status[Any]:
    invoice = _invoice(request, invoice_id)
    payment = record_payment(
        actor=viewer_of(request),
        invoice=invoice,
        amount=payload.amount,
        paid_on=payload.paid_on,
        method=_method(payload.method_id),
        reference=payload.reference or "",
    )
    return Status(201, payment)


@receivables_router.get(
    "/ageing",
    response={200: AgeingOut, **READ_ERRORS},
    summary="Receivables ageing",
    description=(
        "Open balances per customer by days past due (current, 1–30, 31–60, 61–90, over 90), "
        "in the base currency at each invoice's fixed exchange rate."
    ),
)
def ageing_view(request: HttpRequest, params: Query[AgeingIn]) -> dict[str, Any]:
    read_query(request, params)
    report = get_receivables_ageing(viewer=viewer_of(request), on=params.on)
    return {
        "on": report.on,
        "currency": report.currency,
        "buckets": [{"key": key, "label": str(label)} for key, label in BUCKETS],
        "rows": [
            {
                "customer": row.customer,
                "contact_id": row.contact_id,
                "company_id": row.company_id,
                "invoices": row.invoices,
                "buckets": row.buckets,
                "total": row.total,
            }
            for row in report.rows
        ],
        "totals": report.totals,
        "total": report.total,
    }


@tax_rates_router.get("", response={200: TaxRateListOut, **READ_ERRORS}, summary="List tax rates")
def list_tax_rates_view(request: HttpRequest) -> dict[str, Any]:
    rates = list(list_tax_rates())
    return {"items": rates, "count": len(rates)}
