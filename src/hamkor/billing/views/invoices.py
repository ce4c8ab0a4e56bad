"""Invoice pages: the list, one invoice with its actions, and its PDF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hamkor.billing.forms import AddLineForm, IssueForm, PaymentForm, SendForm, VoidForm
from hamkor.billing.models import Invoice, InvoiceStatus
from hamkor.billing.pdf import pdf_response
from hamkor.billing.permissions import check_manages_billing, manages_billing, sees_invoices
from hamkor.billing.selectors.invoices import InvoiceFilters, get_invoice, list_invoices
from hamkor.billing.services.invoices import FreeLineInput, delete_draft, update_draft
from hamkor.billing.services.issuing import issue_invoice, void_invoice
from hamkor.billing.services.payments import PAYABLE_STATUSES, record_payment
from hamkor.billing.services.sending import SENDABLE_STATUSES, default_recipient, send_invoice
from hamkor.contacts.views.common import PAGE_SIZE, AuthedRequest, query_without_page, wants_partial
from hamkor.messaging.models import Status as MessageStatus


def require_invoice_access(request: AuthedRequest) -> None:
    """Support and operations staff have no invoice pages: they do not exist for them."""
    if not sees_invoices(request.user):
        raise Http404


def visible_invoice(request: AuthedRequest, pk: int) -> Invoice:
    try:
        return get_invoice(viewer=request.user, pk=pk)
    except Invoice.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def invoice_list(request: AuthedRequest) -> HttpResponse:
    """Invoices the user may see, filterable by status, searchable by number or customer."""
    require_invoice_access(request)
    status = request.GET.get("status", "")
    filters = InvoiceFilters(
        status=status if status in InvoiceStatus.values else "",
        q=request.GET.get("q", "")[:100],
    )
    page = Paginator(list_invoices(viewer=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page_obj": page,
        "filters": filters,
        "statuses": InvoiceStatus.choices,
        "base_query": query_without_page(request),
        "filtered": bool(filters.status or filters.q),
        "can_manage": manages_billing(request.user),
    }
    template = (
        "billing/_invoice_results.html" if wants_partial(request) else "billing/invoice_list.html"
    )
    return render(request, template, context)


def _detail_context(request: AuthedRequest, invoice: Invoice, **forms: Form) -> dict[str, Any]:
    can_manage = manages_billing(request.user)
    return {
        "invoice": invoice,
        "lines": list(invoice.lines.all()),
        "payments": list(invoice.payments.all()),
        "can_manage": can_manage,
        "can_issue": can_manage and invoice.status == InvoiceStatus.DRAFT,
        "can_pay": can_manage and invoice.status in PAYABLE_STATUSES,
        "can_send": can_manage and invoice.status in SENDABLE_STATUSES,
        "can_void": can_manage and invoice.status in PAYABLE_STATUSES and not invoice.paid_total,
        "issue_form": forms.get("issue_form") or IssueForm(),
        "line_form": forms.get("line_form") or AddLineForm(),
        "payment_form": forms.get("payment_form") or PaymentForm(balance=invoice.balance),
        "send_form": forms.get("send_form")
        or SendForm(initial={"to_address": default_recipient(invoice)}),
        "void_form": forms.get("void_form") or VoidForm(),
    }


@login_required
@require_GET
def invoice_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    invoice = visible_invoice(request, pk)
    return render(request, "billing/invoice_detail.html", _detail_context(request, invoice))


def _apply_errors(form: Form, error: ValidationError) -> None:
    """Put a service's errors beside the form's fields (the rest above the form)."""
    if hasattr(error, "error_dict"):
        for name, items in error.message_dict.items():
            form.add_error(name if name in form.fields else None, items)
    else:
        form.add_error(None, error.messages)


def _act(
    request: AuthedRequest,
    pk: int,
    form_class: type[Form],
    form_key: str,
    action: Callable[[Invoice, dict[str, Any]], str],
    **form_kwargs: Any,
) -> HttpResponse:
    """Validate the action's form, run it, and show the invoice again (with errors if any)."""
    invoice = visible_invoice(request, pk)
    # Rights before input: a read-only viewer (sales) gets the 403 page, not the action's
    # form errors, whatever they sent.
    check_manages_billing(request.user)
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid():
        try:
            done = action(invoice, form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("billing:invoice_detail", pk=invoice.pk)
    context = _detail_context(request, visible_invoice(request, pk), **{form_key: form})
    return render(request, "billing/invoice_detail.html", context, status=422)


@login_required
@require_POST
def invoice_issue(request: AuthedRequest, pk: int) -> HttpResponse:
    def issue(invoice: Invoice, data: dict[str, Any]) -> str:
        issued = issue_invoice(actor=request.user, invoice=invoice, issue_date=data["issue_date"])
        return _("Issued as %(number)s.") % {"number": issued.number}

    return _act(request, pk, IssueForm, "issue_form", issue)


@login_required
@require_POST
def invoice_add_line(request: AuthedRequest, pk: int) -> HttpResponse:
    def add(invoice: Invoice, data: dict[str, Any]) -> str:
        line = FreeLineInput(
            description=data["description"],
            quantity=data["quantity"],
            unit_price=data["unit_price"],
            unit=data["unit"] or "",
        )
        update_draft(actor=request.user, invoice=invoice, add_free_lines=[line])
        return _("The line was added.")

    return _act(request, pk, AddLineForm, "line_form", add)


@login_required
@require_POST
def invoice_pay(request: AuthedRequest, pk: int) -> HttpResponse:
    def pay(invoice: Invoice, data: dict[str, Any]) -> str:
        record_payment(
            actor=request.user,
            invoice=invoice,
            amount=data["amount"],
            paid_on=data["paid_on"],
            method=data["method"],
            reference=data["reference"],
        )
        return _("The payment was recorded.")

    return _act(request, pk, PaymentForm, "payment_form", pay)


@login_required
@require_POST
def invoice_send(request: AuthedRequest, pk: int) -> HttpResponse:
    def send(invoice: Invoice, data: dict[str, Any]) -> str:
        message = send_invoice(
            actor=request.user,
            invoice=invoice,
            to_address=data["to_address"] or "",
            base_url=request.build_absolute_uri("/"),
        )
        if message.status == MessageStatus.BLOCKED:
            raise ValidationError({"to_address": message.error})
        return _("The invoice is on its way to %(address)s.") % {"address": message.to_address}

    return _act(request, pk, SendForm, "send_form", send)


@login_required
@require_POST
def invoice_void(request: AuthedRequest, pk: int) -> HttpResponse:
    def void(invoice: Invoice, data: dict[str, Any]) -> str:
        void_invoice(actor=request.user, invoice=invoice, reason=data["reason"])
        return _("The invoice is void; its time and order lines can be billed again.")

    return _act(request, pk, VoidForm, "void_form", void)


@login_required
@require_POST
def invoice_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    invoice = visible_invoice(request, pk)
    try:
        delete_draft(actor=request.user, invoice=invoice)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("billing:invoice_detail", pk=invoice.pk)
    messages.success(request, _("The draft was deleted; its time can be billed again."))
    return redirect("billing:invoice_list")


@login_required
@require_POST
def invoice_remove_line(request: AuthedRequest, pk: int, line_pk: int) -> HttpResponse:
    invoice = visible_invoice(request, pk)
    try:
        update_draft(actor=request.user, invoice=invoice, remove_line_ids=[line_pk])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("billing:invoice_detail", pk=invoice.pk)


@login_required
@require_GET
def invoice_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    invoice = visible_invoice(request, pk)
    return pdf_response(invoice, inline=bool(request.GET.get("view")))


urlpatterns: list[URLPattern] = [
    path("invoices/", invoice_list, name="invoice_list"),
    path("invoices/<int:pk>/", invoice_detail, name="invoice_detail"),
    path("invoices/<int:pk>/issue/", invoice_issue, name="invoice_issue"),
    path("invoices/<int:pk>/lines/add/", invoice_add_line, name="invoice_add_line"),
    path("invoices/<int:pk>/pay/", invoice_pay, name="invoice_pay"),
    path("invoices/<int:pk>/send/", invoice_send, name="invoice_send"),
    path("invoices/<int:pk>/void/", invoice_void, name="invoice_void"),
    path("invoices/<int:pk>/delete/", invoice_delete, name="invoice_delete"),
    path(
        "invoices/<int:pk>/lines/<int:line_pk>/remove/",
        invoice_remove_line,
        name="invoice_remove_line",
    ),
    path("invoices/<int:pk>/pdf/", invoice_pdf, name="invoice_pdf"),
]
