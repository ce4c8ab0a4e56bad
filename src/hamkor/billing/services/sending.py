"""Sending an issued invoice to the customer by email through the messaging outbox.

The outbox carries text and HTML but no attachments, so the email holds a signed link to
the invoice's PDF (``billing.links``), which the customer opens without signing in.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.billing.errors import InvoiceStateError
from hamkor.billing.links import public_pdf_path
from hamkor.billing.models import Invoice, InvoiceStatus
from hamkor.billing.permissions import check_manages_billing
from hamkor.billing.services.invoices import lock_invoice
from hamkor.core.audit import record_event
from hamkor.core.money import format_money
from hamkor.messaging.models import Channel, Kind, OutboundMessage
from hamkor.messaging.services.outbox import contact_address, queue_message

SENDABLE_STATUSES = frozenset({InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID, InvoiceStatus.PAID})


def public_base_url(fallback: str = "") -> str:
    """HAMKOR_PUBLIC_URL, else the address the sender is using (given by the view)."""
    base = str(getattr(settings, "HAMKOR_PUBLIC_URL", "") or "") or fallback
    return base.rstrip("/")


def default_recipient(invoice: Invoice) -> str:
    """The contact's primary email, else the company's."""
    if invoice.contact is not None:
        address = contact_address(invoice.contact, Channel.EMAIL)
        if address:
            return address
    if invoice.company is not None and invoice.company.email:
        return str(invoice.company.email)
    return ""


@transaction.atomic
def send_invoice(
    *, actor: User, invoice: Invoice, to_address: str = "", base_url: str = ""
) -> OutboundMessage:
    """Queue an email in the customer's language with a link to the invoice PDF."""
    check_manages_billing(actor)
    invoice = lock_invoice(invoice)
    if invoice.status not in SENDABLE_STATUSES:
        raise InvoiceStateError(
            _("Only issued invoices can be sent; %(invoice)s is %(status)s.")
            % {"invoice": invoice, "status": invoice.get_status_display()},
            code="not_sendable",
        )
    address = (to_address or "").strip() or default_recipient(invoice)
    if not address:
        raise ValidationError(
            {"to_address": _("The customer has no email address; enter one to send to.")}
        )
    root = public_base_url(base_url)
    if not root:
        raise ValidationError(_("Set HAMKOR_PUBLIC_URL so the email can link to the invoice."))
    link = root + public_pdf_path(invoice.uuid)
    organisation = str(settings.HAMKOR_ORGANISATION_NAME)
    with translation.override(invoice.language):
        subject = _("Invoice %(number)s from %(organisation)s") % {
            "number": invoice.number,
            "organisation": organisation,
        }
        body = _(
            "Hello,\n\nplease find invoice %(number)s of %(date)s for %(total)s; "
            "%(due)s is due by %(due_date)s.\n\nThe invoice (PDF): %(link)s\n\n"
            "Thank you,\n%(organisation)s"
        ) % {
            "number": invoice.number,
            "date": invoice.issue_date.isoformat() if invoice.issue_date else "",
            "total": format_money(invoice.gross_total, invoice.currency, invoice.language),
            "due": format_money(invoice.balance, invoice.currency, invoice.language),
            "due_date": invoice.due_date.isoformat() if invoice.due_date else "",
            "link": link,
            "organisation": organisation,
        }
    message = queue_message(
        channel=Channel.EMAIL,
        body=body,
        subject=subject,
        # The contact, so the email shows on their timeline; companies get the address only.
        contact=invoice.contact,
        to_address=address,
        kind=Kind.TRANSACTIONAL,
        idempotency_key=f"invoice:{invoice.uuid}:{uuid.uuid4()}",
        actor=actor,
    )
    invoice.sent_at = timezone.now()
    invoice.save(update_fields=["sent_at", "updated_at"])
    record_event(
        actor=actor,
        verb="invoice.sent",
        target=invoice,
        data={"message": message.pk, "to": message.to_address, "status": message.status},
    )
    return message
