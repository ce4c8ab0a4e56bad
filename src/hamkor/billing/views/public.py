"""The customer's signed PDF link: no login, the invoice found by its UUID."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from hamkor.billing.links import uuid_from_token
from hamkor.billing.models import Invoice
from hamkor.billing.pdf import pdf_response
from hamkor.billing.selectors.invoices import get_public_invoice


@require_GET
def public_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The PDF of an issued invoice, for whoever holds the signed link; 404 otherwise."""
    invoice_uuid = uuid_from_token(token)
    if invoice_uuid is None:
        raise Http404
    try:
        invoice = get_public_invoice(invoice_uuid=invoice_uuid)
    except Invoice.DoesNotExist:
        raise Http404 from None
    response = pdf_response(invoice, inline=True)
    # The link is a secret: keep it out of shared caches and referrers.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


urlpatterns: list[URLPattern] = [path("i/<str:token>/", public_pdf, name="public_pdf")]
