"""Demo invoices on top of the sales and projects demo: paid, partly paid, overdue, a draft."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from hamkor.accounts.models import Role, User
from hamkor.billing.models import Invoice
from hamkor.billing.selectors.customers import list_billable_orders
from hamkor.billing.services.invoices import FreeLineInput, create_invoice
from hamkor.billing.services.issuing import issue_invoice
from hamkor.billing.services.payments import record_payment
from hamkor.contacts.models import Contact
from hamkor.core.currency import base_currency
from hamkor.core.models import ExchangeRate
from hamkor.projects.selectors.time import list_unbilled_time
from hamkor.sales.models import OrderStatus, PaymentType

# (days since issue, share paid): overdue and unpaid, partly paid, paid, current, and so on.
SCHEDULE = [(100, "0"), (50, "0.4"), (25, "1"), (5, "0"), (40, "0"), (70, "0.5")]


@dataclass
class BillingDemoResult:
    invoices: int = 0
    paid: int = 0
    partly_paid: int = 0
    overdue: int = 0


class BillingDemoExistsError(Exception):
    pass


def _actor() -> User:
    actor = (
        User.objects.filter(role=Role.FINANCE).order_by("pk").first()
        or User.objects.filter(role__in=[Role.ADMIN, Role.MANAGER]).order_by("pk").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )
    if actor is None:
        raise BillingDemoExistsError("no users: run `hamkor demo` first")
    return actor


def _time_invoices(actor: User, limit: int) -> list[Invoice]:
    """One USD invoice per customer with unbilled project time (first few customers)."""
    by_company: dict[int, list[int]] = {}
    for entry in list_unbilled_time(viewer=actor).filter(project__company__isnull=False)[:3000]:
        if entry.rate is None or entry.project.company_id is None:
            continue
        by_company.setdefault(entry.project.company_id, []).append(entry.pk)
    invoices = []
    if not _has_rates("USD"):
        return []
    for entry_ids in list(by_company.values())[:limit]:
        entries = list_unbilled_time(viewer=actor).filter(pk__in=entry_ids[:40])
        company = entries[0].project.company
        invoices.append(
            create_invoice(
                actor=actor,
                company=company,
                currency="USD",
                time_entry_ids=[entry.pk for entry in entries],
            )
        )
    return invoices


def _order_invoices(actor: User, limit: int) -> list[Invoice]:
    """UZS invoices for shop customers' confirmed orders."""
    invoices = []
    contacts = (
        Contact.objects.filter(orders__status=OrderStatus.CONFIRMED, archived_at__isnull=True)
        .distinct()
        .order_by("pk")[:limit]
    )
    for contact in contacts:
        orders = list_billable_orders(viewer=actor, contact=contact, company=None)
        line_ids = [line.pk for order in orders[:2] for line in order.lines.all()]
        currency = orders[0].currency if orders else "UZS"
        if not line_ids:
            continue
        invoices.append(
            create_invoice(
                actor=actor, contact=contact, currency=currency, order_line_ids=line_ids[:10]
            )
        )
    return invoices


def _shop_invoices(actor: User, limit: int) -> list[Invoice]:
    """Corporate cake orders in the base currency for companies of the shop's customers."""
    contacts = (
        Contact.objects.filter(
            archived_at__isnull=True, time_zone="Asia/Tashkent", company__isnull=False
        )
        .select_related("company")
        .order_by("pk")[:limit]
    )
    invoices = []
    for index, contact in enumerate(contacts):
        line = FreeLineInput(
            description="Napoleon cake, corporate order",
            quantity=Decimal(10 + 5 * index),
            unit_price=Decimal("150000"),
            unit="piece",
        )
        invoices.append(
            create_invoice(
                actor=actor,
                contact=contact,
                company=contact.company,
                currency=base_currency(),
                free_lines=[line],
            )
        )
    return invoices


def _free_invoices(actor: User, limit: int, skip: set[int]) -> list[Invoice]:
    """Monthly retainers in KGS for agency contacts (Bishkek)."""
    contacts = (
        Contact.objects.filter(archived_at__isnull=True, time_zone="Asia/Bishkek")
        .exclude(pk__in=skip)
        .order_by("pk")[:limit]
    )
    currency = "KGS" if _has_rates("KGS") else base_currency()
    line = FreeLineInput(
        description="SMM, one month",
        quantity=Decimal(1),
        unit_price=Decimal("25000"),
        unit="service",
    )
    return [
        create_invoice(actor=actor, contact=contact, currency=currency, free_lines=[line])
        for contact in contacts
    ]


@transaction.atomic
def load_billing_demo() -> BillingDemoResult:
    """A dozen invoices in several states; refuses to run twice."""
    if Invoice.objects.exists():
        raise BillingDemoExistsError("invoices already exist")
    actor = _actor()
    drafts = [*_time_invoices(actor, 3), *_order_invoices(actor, 3), *_shop_invoices(actor, 3)]
    skip = {invoice.contact_id for invoice in drafts if invoice.contact_id}
    drafts += _free_invoices(actor, max(3, 10 - len(drafts)), skip)
    today = timezone.localdate()
    method = PaymentType.objects.filter(is_active=True).order_by("position", "pk").first()
    result = BillingDemoResult()
    # The last draft stays a draft; the others are issued oldest first, so numbers follow dates.
    to_issue = sorted(zip(drafts[:-1], SCHEDULE * 3, strict=False), key=lambda pair: -pair[1][0])
    for invoice, (days_ago, share) in to_issue:
        issued_on = today - datetime.timedelta(days=days_ago)
        issued = issue_invoice(actor=actor, invoice=invoice, issue_date=issued_on)
        result.invoices += 1
        part = (issued.gross_total * Decimal(share)).quantize(Decimal("1"))
        amount = issued.balance if share == "1" else min(part, issued.balance)
        if amount > 0:
            record_payment(
                actor=actor,
                invoice=issued,
                amount=amount,
                paid_on=min(today, issued_on + datetime.timedelta(days=10)),
                method=method,
                reference="demo",
            )
            issued.refresh_from_db()
        if issued.status == "paid":
            result.paid += 1
        elif issued.status == "partly_paid":
            result.partly_paid += 1
        if issued.balance and issued.due_date and issued.due_date < today:
            result.overdue += 1
    result.invoices += 1 if drafts else 0
    return result


def _has_rates(currency: str) -> bool:
    return currency == base_currency() or ExchangeRate.objects.filter(currency=currency).exists()
