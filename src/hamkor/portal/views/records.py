"""The customer's home page and their own orders, invoices and projects (read-only)."""

from __future__ import annotations

import uuid

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hamkor.billing.models import Invoice
from hamkor.billing.pdf import pdf_response
from hamkor.portal import selectors
from hamkor.portal.session import portal_login_required
from hamkor.portal.views.common import portal_contact
from hamkor.projects.models import Project
from hamkor.sales.models import Order

PAGE_SIZE = 20


@require_GET
@portal_login_required
def home(request: HttpRequest) -> HttpResponse:
    """Greeting, the sections and the customer's latest records."""
    contact = portal_contact(request)
    context = {"summary": selectors.get_summary(contact=contact), "portal_section": "home"}
    return render(request, "portal/home.html", context)


@require_GET
@portal_login_required
def order_list(request: HttpRequest) -> HttpResponse:
    contact = portal_contact(request)
    page = Paginator(selectors.list_orders(contact=contact), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page_obj": page, "portal_section": "orders"}
    return render(request, "portal/order_list.html", context)


@require_GET
@portal_login_required
def order_detail(request: HttpRequest, order_uuid: uuid.UUID) -> HttpResponse:
    contact = portal_contact(request)
    try:
        order = selectors.get_order(contact=contact, order_uuid=order_uuid)
    except Order.DoesNotExist:
        raise Http404 from None
    lines = [
        {
            "line": line,
            "name": line.description
            or (line.product.display_name(contact.language) if line.product else ""),
        }
        for line in order.lines.all()
    ]
    context = {"order": order, "lines": lines, "portal_section": "orders"}
    return render(request, "portal/order_detail.html", context)


@require_GET
@portal_login_required
def invoice_list(request: HttpRequest) -> HttpResponse:
    contact = portal_contact(request)
    page = Paginator(selectors.list_invoices(contact=contact), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page_obj": page, "portal_section": "invoices"}
    return render(request, "portal/invoice_list.html", context)


def _invoice(request: HttpRequest, invoice_uuid: uuid.UUID) -> Invoice:
    try:
        return selectors.get_invoice(contact=portal_contact(request), invoice_uuid=invoice_uuid)
    except Invoice.DoesNotExist:
        raise Http404 from None


@require_GET
@portal_login_required
def invoice_detail(request: HttpRequest, invoice_uuid: uuid.UUID) -> HttpResponse:
    invoice = _invoice(request, invoice_uuid)
    context = {"invoice": invoice, "portal_section": "invoices"}
    return render(request, "portal/invoice_detail.html", context)


@require_GET
@portal_login_required
def invoice_pdf(request: HttpRequest, invoice_uuid: uuid.UUID) -> HttpResponse:
    """The invoice's PDF, as the signed public link gives it, for its own customer only."""
    invoice = _invoice(request, invoice_uuid)
    response = pdf_response(invoice)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@portal_login_required
def project_list(request: HttpRequest) -> HttpResponse:
    contact = portal_contact(request)
    page = Paginator(selectors.list_projects(contact=contact), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page_obj": page, "portal_section": "projects"}
    return render(request, "portal/project_list.html", context)


@require_GET
@portal_login_required
def project_detail(request: HttpRequest, project_uuid: uuid.UUID) -> HttpResponse:
    contact = portal_contact(request)
    try:
        project = selectors.get_project(contact=contact, project_uuid=project_uuid)
    except Project.DoesNotExist:
        raise Http404 from None
    context = {
        "project": project,
        "milestones": selectors.list_project_milestones(project=project),
        "portal_section": "projects",
    }
    return render(request, "portal/project_detail.html", context)
