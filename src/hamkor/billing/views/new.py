"""The new-invoice page: pick a customer, then their unbilled time, order lines or free lines.

The totals preview is posted by htmx on every change and computed by the same service that
creates the invoice (``plan_invoice``), so what is shown is what will be saved.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamkor.billing.forms import (
    CustomerForm,
    FreeRow,
    InvoiceHeaderForm,
    free_inputs,
    read_free_rows,
    selected_ids,
)
from hamkor.billing.permissions import check_manages_billing
from hamkor.billing.selectors.customers import (
    get_billing_company,
    get_billing_contact,
    list_unbilled_work,
)
from hamkor.billing.services.invoices import create_invoice, plan_invoice
from hamkor.contacts.models import Company, Contact
from hamkor.contacts.selectors import list_companies, list_contacts
from hamkor.contacts.views.common import AuthedRequest
from hamkor.sales.models import Unit

BLANK_ROWS = 1


def _customer(request: AuthedRequest, data: QueryDict) -> tuple[Contact | None, Company | None]:
    contact = company = None
    company_id, contact_id = str(data.get("company") or ""), str(data.get("contact") or "")
    try:
        if company_id.isdigit():
            company = get_billing_company(viewer=request.user, pk=int(company_id))
        if contact_id.isdigit():
            contact = get_billing_contact(viewer=request.user, pk=int(contact_id))
    except (Contact.DoesNotExist, Company.DoesNotExist):
        raise Http404 from None
    return contact, company


def _errors(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for items in error.message_dict.values() for message in items]
    return list(error.messages)


def _page(
    request: AuthedRequest,
    contact: Contact | None,
    company: Company | None,
    *,
    header: InvoiceHeaderForm,
    rows: list[FreeRow],
    chosen_time: set[int],
    chosen_lines: set[int],
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    projects, order_lines = list_unbilled_work(
        viewer=request.user, contact=contact, company=company
    )
    context: dict[str, Any] = {
        "contact": contact,
        "company": company,
        "header": header,
        "rows": rows or [FreeRow() for _ in range(BLANK_ROWS)],
        "units": Unit.choices,
        "projects": projects,
        "order_lines": order_lines,
        "chosen_time": chosen_time,
        "chosen_lines": chosen_lines,
        "errors": errors or [],
        "plan": None,
    }
    return render(request, "billing/invoice_new.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def invoice_new(request: AuthedRequest) -> HttpResponse:
    """GET: the form (a customer picker first); POST: create the draft and open it."""
    check_manages_billing(request.user)
    data = request.POST if request.method == "POST" else request.GET
    contact, company = _customer(request, data)
    if contact is None and company is None:
        form = CustomerForm()
        form.fields["contact"].queryset = list_contacts(viewer=request.user)  # type: ignore[attr-defined]
        form.fields["company"].queryset = list_companies(viewer=request.user)  # type: ignore[attr-defined]
        return render(request, "billing/invoice_pick_customer.html", {"form": form})
    default_currency = contact.currency if contact is not None else ""
    if request.method == "GET":
        return _page(
            request,
            contact,
            company,
            header=InvoiceHeaderForm(currency=default_currency),
            rows=[],
            chosen_time=set(),
            chosen_lines=set(),
        )
    header = InvoiceHeaderForm(request.POST)
    rows = read_free_rows(request.POST)
    free = free_inputs(rows)
    time_ids, line_ids = (
        selected_ids(request.POST, "time"),
        selected_ids(request.POST, "order_line"),
    )
    if not header.is_valid() or free is None:
        return _page(
            request,
            contact,
            company,
            header=header,
            rows=rows,
            chosen_time=set(time_ids),
            chosen_lines=set(line_ids),
            errors=[_("Please correct the fields marked below. Nothing was saved yet.")],
            status=422,
        )
    try:
        invoice = create_invoice(
            actor=request.user,
            contact=contact,
            company=company,
            currency=header.cleaned_data["currency"],
            time_entry_ids=time_ids,
            order_line_ids=line_ids,
            free_lines=free,
            tax_rate_percent=header.cleaned_data["tax_rate"],
            notes=header.cleaned_data["notes"],
            payment_terms_days=header.cleaned_data["payment_terms_days"],
        )
    except ValidationError as error:
        return _page(
            request,
            contact,
            company,
            header=header,
            rows=rows,
            chosen_time=set(time_ids),
            chosen_lines=set(line_ids),
            errors=_errors(error),
            status=422,
        )
    messages.success(request, _("The draft invoice was created. Check it, then issue it."))
    return redirect("billing:invoice_detail", pk=invoice.pk)


@login_required
@require_POST
def invoice_preview(request: AuthedRequest) -> HttpResponse:
    """The totals the posted choices would give (an htmx fragment); nothing is saved."""
    check_manages_billing(request.user)
    contact, company = _customer(request, request.POST)
    header = InvoiceHeaderForm(request.POST)
    free = free_inputs(read_free_rows(request.POST))
    context: dict[str, Any] = {"plan": None, "errors": []}
    if contact is None and company is None:
        raise Http404
    if not header.is_valid() or free is None:
        context["errors"] = [_("Fill in the marked fields to see the totals.")]
    else:
        try:
            context["plan"] = plan_invoice(
                actor=request.user,
                contact=contact,
                company=company,
                currency=header.cleaned_data["currency"],
                time_entry_ids=selected_ids(request.POST, "time"),
                order_line_ids=selected_ids(request.POST, "order_line"),
                free_lines=free,
                tax_rate_percent=header.cleaned_data["tax_rate"] or Decimal(0),
            )
        except ValidationError as error:
            context["errors"] = _errors(error)
    return render(request, "billing/_preview.html", context)


@login_required
@require_GET
def free_line_row(request: AuthedRequest) -> HttpResponse:
    """One more empty free-line row (htmx)."""
    check_manages_billing(request.user)
    return render(request, "billing/_free_row.html", {"row": FreeRow(), "units": Unit.choices})


urlpatterns: list[URLPattern] = [
    path("invoices/new/", invoice_new, name="invoice_new"),
    path("invoices/new/preview/", invoice_preview, name="invoice_preview"),
    path("invoices/new/line/", free_line_row, name="free_line_row"),
]
