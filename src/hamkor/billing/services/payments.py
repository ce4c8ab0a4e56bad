"""Recording payments against issued invoices: partial allowed, never more than is due."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.billing.errors import InvoiceStateError
from hamkor.billing.models import Invoice, InvoiceStatus, Payment
from hamkor.billing.permissions import check_manages_billing
from hamkor.billing.services.invoices import lock_invoice
from hamkor.core.audit import record_event
from hamkor.core.currency import round_money
from hamkor.core.money import format_money
from hamkor.sales.models import PaymentType

PAYABLE_STATUSES = frozenset({InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID})


@transaction.atomic
def record_payment(
    *,
    actor: User,
    invoice: Invoice,
    amount: Decimal,
    paid_on: datetime.date | None = None,
    method: PaymentType | None = None,
    reference: str = "",
) -> Payment:
    """Record money received; the invoice becomes partly paid, or paid when nothing is left."""
    check_manages_billing(actor)
    invoice = lock_invoice(invoice)
    if invoice.status not in PAYABLE_STATUSES:
        raise InvoiceStateError(
            _("Payments are recorded against issued invoices; %(invoice)s is %(status)s.")
            % {"invoice": invoice, "status": invoice.get_status_display()},
            code="not_payable",
        )
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    if round_money(amount, invoice.currency) != amount:
        raise ValidationError(
            {
                "amount": _("%(currency)s amounts have at most %(digits)s decimals.")
                % {"currency": invoice.currency, "digits": 2}
            }
        )
    if amount > invoice.balance:
        raise ValidationError(
            {
                "amount": _(
                    "Only %(balance)s is due on %(invoice)s; a payment of %(amount)s would "
                    "overpay it."
                )
                % {
                    "balance": format_money(invoice.balance, invoice.currency),
                    "invoice": invoice,
                    "amount": format_money(amount, invoice.currency),
                }
            }
        )
    today = timezone.localdate()
    on = paid_on or today
    if on > today:
        raise ValidationError({"paid_on": _("A payment date cannot be in the future.")})
    if invoice.issue_date and on < invoice.issue_date:
        raise ValidationError(
            {"paid_on": _("A payment cannot be dated before the invoice was issued.")}
        )
    payment = Payment(
        invoice=invoice,
        amount=amount,
        currency=invoice.currency,
        paid_on=on,
        method=method,
        reference=(reference or "").strip(),
        created_by=actor,
    )
    payment.full_clean(exclude=["invoice", "method"], validate_constraints=False)
    payment.save()
    invoice.paid_total += amount
    invoice.balance = invoice.gross_total - invoice.paid_total
    invoice.status = InvoiceStatus.PAID if invoice.balance == 0 else InvoiceStatus.PARTLY_PAID
    invoice.save(update_fields=["paid_total", "balance", "status", "updated_at"])
    record_event(
        actor=actor,
        verb="invoice.payment_recorded",
        target=invoice,
        data={
            "payment": payment.pk,
            "amount": str(amount),
            "currency": invoice.currency,
            "paid_on": on.isoformat(),
            "method": method.name if method else "",
            "status": invoice.status,
            "balance": str(invoice.balance),
        },
    )
    return payment
