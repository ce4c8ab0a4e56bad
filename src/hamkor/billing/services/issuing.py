"""Issuing invoices (gapless yearly numbers, the exchange rate fixed) and voiding them.

Numbering: the year's ``InvoiceNumberSequence`` row is bumped with one UPDATE inside the
issuing transaction. On PostgreSQL that UPDATE holds the row lock until commit, so a second
issuer waits and then reads the next number; on SQLite the UPDATE takes the database write
lock. A rolled-back issue rolls the bump back too, so no number is ever skipped. Drafts
have no number, so deleting one leaves no gap.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.billing.errors import InvoiceStateError
from hamkor.billing.models import (
    Invoice,
    InvoiceNumberSequence,
    InvoiceOrderLine,
    InvoiceStatus,
    InvoiceTimeEntry,
)
from hamkor.billing.permissions import check_manages_billing
from hamkor.billing.services.invoices import draft_label, lock_invoice
from hamkor.core.audit import record_event
from hamkor.core.currency import MissingRateError, base_currency, rate_on
from hamkor.projects.services.time import mark_time_invoiced, release_invoiced_time

NUMBER_FORMAT = "{year}-{number:06d}"
# Numbers start with a four-digit year.
EARLIEST_ISSUE_DATE = datetime.date(2000, 1, 1)


def next_invoice_number(year: int) -> int:
    """Take the next number of ``year``; call inside the issuing transaction."""
    updated = InvoiceNumberSequence.objects.filter(year=year).update(
        last_number=F("last_number") + 1
    )
    if not updated:
        try:
            # First invoice of the year. Two issuers racing here: the loser's INSERT fails
            # on the primary key (after waiting for the winner's commit on PostgreSQL) and
            # it bumps the winner's row instead.
            with transaction.atomic():
                InvoiceNumberSequence.objects.create(year=year, last_number=1)
            return 1
        except IntegrityError:
            InvoiceNumberSequence.objects.filter(year=year).update(last_number=F("last_number") + 1)
    return int(
        InvoiceNumberSequence.objects.filter(year=year).values_list("last_number", flat=True)[0]
    )


def _entry_ids(invoice: Invoice) -> list[int]:
    return list(
        InvoiceTimeEntry.objects.filter(line__invoice=invoice).values_list(
            "time_entry_id", flat=True
        )
    )


@transaction.atomic
def issue_invoice(
    *, actor: User, invoice: Invoice, issue_date: datetime.date | None = None
) -> Invoice:
    """Number a draft, fix its exchange rate and due date; its time carries the number."""
    check_manages_billing(actor)
    invoice = lock_invoice(invoice)
    if invoice.status != InvoiceStatus.DRAFT:
        raise InvoiceStateError(
            _("%(invoice)s is already issued.") % {"invoice": invoice}, code="not_draft"
        )
    if not invoice.lines.exists():
        raise ValidationError(_("Add at least one line before issuing the invoice."))
    today = timezone.localdate()
    on = issue_date or today
    if on > today:
        raise ValidationError({"issue_date": _("An invoice cannot be issued in the future.")})
    if on < EARLIEST_ISSUE_DATE:
        raise ValidationError(
            {
                "issue_date": _("Give an issue date in this century, e.g. %(date)s.")
                % {"date": today}
            }
        )
    try:
        rate = rate_on(invoice.currency, on)
    except MissingRateError as error:
        raise ValidationError(
            {
                "issue_date": _(
                    "The invoice is in %(currency)s but there is no %(currency)s to "
                    "%(base)s exchange rate on or before %(date)s. Import rates "
                    "(hamkor rates import) and issue it again."
                )
                % {"currency": invoice.currency, "base": base_currency(), "date": on.isoformat()}
            },
            code=error.code,
        ) from None
    sequence = next_invoice_number(on.year)
    invoice.number = NUMBER_FORMAT.format(year=on.year, number=sequence)
    invoice.number_year, invoice.number_seq = on.year, sequence
    invoice.status = InvoiceStatus.ISSUED
    invoice.issue_date = on
    invoice.due_date = on + datetime.timedelta(days=invoice.payment_terms_days)
    invoice.exchange_rate = rate
    invoice.issued_at = timezone.now()
    invoice.balance = invoice.gross_total - invoice.paid_total
    invoice.save(
        update_fields=[
            "number",
            "number_year",
            "number_seq",
            "status",
            "issue_date",
            "due_date",
            "exchange_rate",
            "issued_at",
            "balance",
            "updated_at",
        ]
    )
    entry_ids = _entry_ids(invoice)
    if entry_ids:
        # The draft's label becomes the number: release and mark again, in this transaction.
        release_invoiced_time(entry_ids=entry_ids, invoice_number=draft_label(invoice))
        mark_time_invoiced(entry_ids=entry_ids, invoice_number=invoice.number)
    record_event(
        actor=actor,
        verb="invoice.issued",
        target=invoice,
        data={
            "number": invoice.number,
            "issue_date": on.isoformat(),
            "due_date": invoice.due_date.isoformat(),
            "exchange_rate": str(rate),
            "gross": str(invoice.gross_total),
        },
    )
    return invoice


@transaction.atomic
def void_invoice(*, actor: User, invoice: Invoice, reason: str = "") -> Invoice:
    """Void an issued invoice: it keeps its number, its time and order lines can be billed
    again (the links go, the line texts stay). Invoices with payments cannot be voided."""
    check_manages_billing(actor)
    invoice = lock_invoice(invoice)
    if invoice.status == InvoiceStatus.DRAFT:
        raise InvoiceStateError(_("A draft is not voided; delete it instead."), code="draft")
    if invoice.status == InvoiceStatus.VOID:
        raise InvoiceStateError(
            _("%(invoice)s is already void.") % {"invoice": invoice}, code="void"
        )
    if invoice.paid_total > 0:
        raise InvoiceStateError(
            _(
                "%(invoice)s has payments recorded against it, so it cannot be voided. "
                "Refund and remove the payments first."
            )
            % {"invoice": invoice},
            code="has_payments",
        )
    entry_ids = _entry_ids(invoice)
    order_line_ids = list(
        InvoiceOrderLine.objects.filter(line__invoice=invoice).values_list(
            "order_line_id", flat=True
        )
    )
    released = release_invoiced_time(entry_ids=entry_ids, invoice_number=invoice.number or "")
    InvoiceTimeEntry.objects.filter(line__invoice=invoice).delete()
    InvoiceOrderLine.objects.filter(line__invoice=invoice).delete()
    invoice.status = InvoiceStatus.VOID
    invoice.voided_at = timezone.now()
    invoice.void_reason = (reason or "").strip()[:255]
    # The lines and totals stay for the record; nothing is owed (ageing skips void ones).
    invoice.save(update_fields=["status", "voided_at", "void_reason", "updated_at"])
    record_event(
        actor=actor,
        verb="invoice.voided",
        target=invoice,
        data={
            "number": invoice.number,
            "reason": invoice.void_reason,
            "time_entries_released": released,
            "order_lines_released": sorted(order_line_ids),
        },
    )
    return invoice
