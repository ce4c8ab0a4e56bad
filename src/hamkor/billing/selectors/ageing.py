"""Receivables ageing: open balances by how long they are past due, in the base currency.

Each open invoice (issued or partly paid, balance above zero) is converted at the exchange
rate fixed when it was issued, so the report does not move with today's rates. Buckets by
days past the due date: current (not yet due), 1–30, 31–60, 61–90, over 90.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hamkor.accounts.models import User
from hamkor.billing.models import Invoice, InvoiceStatus
from hamkor.billing.selectors.invoices import visible_invoices
from hamkor.core.currency import base_currency, round_money

ZERO = Decimal(0)
BUCKETS: tuple[tuple[str, Promise], ...] = (
    ("current", _("Current")),
    ("1_30", _("1–30 days")),
    ("31_60", _("31–60 days")),
    ("61_90", _("61–90 days")),
    ("over_90", _("Over 90 days")),
)
OPEN_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID)


def bucket_of(days_past_due: int) -> str:
    """The bucket key for a number of days past the due date (0 or less: current)."""
    if days_past_due <= 0:
        return "current"
    if days_past_due <= 30:
        return "1_30"
    if days_past_due <= 60:
        return "31_60"
    if days_past_due <= 90:
        return "61_90"
    return "over_90"


def _empty() -> dict[str, Decimal]:
    return {key: ZERO for key, _label in BUCKETS}


@dataclass
class AgeingRow:
    customer: str
    contact_id: int | None
    company_id: int | None
    buckets: dict[str, Decimal] = field(default_factory=_empty)
    invoices: int = 0

    @property
    def total(self) -> Decimal:
        return sum(self.buckets.values(), ZERO)

    @property
    def bucket_list(self) -> list[Decimal]:
        return [self.buckets[key] for key, _label in BUCKETS]


@dataclass
class AgeingReport:
    on: datetime.date
    currency: str
    rows: list[AgeingRow]
    totals: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.totals.values(), ZERO)

    @property
    def total_list(self) -> list[Decimal]:
        return [self.totals[key] for key, _label in BUCKETS]


def list_open_invoices(*, viewer: User) -> list[Invoice]:
    """Visible invoices with money still due, oldest due date first."""
    return list(
        visible_invoices(viewer)
        .filter(status__in=OPEN_STATUSES, balance__gt=0)
        .select_related("contact", "company")
        .order_by("due_date", "id")
    )


def get_receivables_ageing(*, viewer: User, on: datetime.date | None = None) -> AgeingReport:
    """Open balances per customer and bucket, in the base currency, as of ``on`` (today)."""
    day = on or timezone.localdate()
    base = base_currency()
    rows: dict[tuple[int | None, int | None], AgeingRow] = {}
    totals = _empty()
    for invoice in list_open_invoices(viewer=viewer):
        key = (invoice.company_id, None if invoice.company_id else invoice.contact_id)
        row = rows.get(key)
        if row is None:
            name = str(invoice.company) if invoice.company_id else str(invoice.contact)
            row = rows[key] = AgeingRow(
                customer=name, contact_id=key[1], company_id=invoice.company_id
            )
        rate = invoice.exchange_rate or Decimal(1)
        amount = round_money(invoice.balance * rate, base)
        due = invoice.due_date or day
        bucket = bucket_of((day - due).days)
        row.buckets[bucket] += amount
        row.invoices += 1
        totals[bucket] += amount
    ordered = sorted(rows.values(), key=lambda row: (-row.total, row.customer))
    return AgeingReport(on=day, currency=base, rows=ordered, totals=totals)


def get_customer_balance(
    *, viewer: User, contact_id: int | None = None, company_id: int | None = None
) -> dict[str, Decimal]:
    """Open balance per currency of one customer's visible invoices."""
    invoices = visible_invoices(viewer).filter(status__in=OPEN_STATUSES, balance__gt=0)
    if company_id:
        invoices = invoices.filter(company_id=company_id)
    elif contact_id:
        invoices = invoices.filter(contact_id=contact_id)
    else:
        return {}
    balances: dict[str, Decimal] = {}
    for currency, balance in invoices.values_list("currency", "balance"):
        balances[currency] = balances.get(currency, ZERO) + balance
    return balances
