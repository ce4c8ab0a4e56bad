"""Reports on billing: invoices and payments."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from hamkor.accounts.models import User
from hamkor.billing.models import Invoice, Payment
from hamkor.billing.selectors.invoices import visible_invoices
from hamkor.reports.definitions.common import (
    CUSTOMER_TEXT,
    C,
    D,
    M,
    _choice,
    _choice_group,
    _dates,
    _owner,
    _team,
    _text,
)
from hamkor.reports.registry import (
    Column,
    Grouping,
    Report,
    customer,
    owner_grouping,
    register,
)


def _payments(viewer: User) -> QuerySet[Payment]:
    invoices = visible_invoices(viewer).order_by().values("pk")
    return Payment.objects.filter(invoice__in=invoices).order_by("-paid_on", "-id")


register(
    Report(
        key="invoices",
        title=_("Invoices"),
        model=Invoice,
        source=lambda viewer: visible_invoices(viewer).order_by("-created_at", "-id"),
        currency="currency",
        pdf=True,
        columns=(
            Column("number", _("Number"), "number"),
            Column("issued", _("Issue date"), "issue_date", D),
            Column("due", _("Due date"), "due_date", D),
            Column("customer", _("Customer"), customer()),
            Column("status", _("Status"), "status", C),
            Column("gross", _("Total"), "gross_total", M, total=True),
            Column("paid", _("Paid"), "paid_total", M, total=True),
            Column("balance", _("Balance"), "balance", M, total=True),
            Column("currency", _("Currency"), "currency"),
        ),
        filters=(
            _dates("issue_date", _("Issued")),
            _choice("status", _("Status")),
            _owner(),
            _team(),
            _text("number", *CUSTOMER_TEXT),
        ),
        groupings=(
            _choice_group("status", _("Status")),
            Grouping("customer", _("Customer"), "contact_id", customer()),
            owner_grouping(),
        ),
    )
)

register(
    Report(
        key="payments",
        title=_("Payments"),
        model=Payment,
        source=_payments,
        currency="currency",
        pdf=True,
        columns=(
            Column("paid_on", _("Paid on"), "paid_on", D),
            Column("invoice", _("Invoice"), "invoice__number"),
            Column("customer", _("Customer"), customer("invoice__")),
            Column("method", _("Method"), "method__name"),
            Column("reference", _("Reference"), "reference"),
            Column("amount", _("Amount"), "amount", M, total=True),
            Column("currency", _("Currency"), "currency"),
        ),
        filters=(
            _dates("paid_on", _("Paid")),
            _owner("invoice__owner_id"),
            _text("reference", "invoice__number", "invoice__company__name"),
        ),
        groupings=(
            Grouping("method", _("Method"), "method_id", F("method__name")),
            Grouping("invoice", _("Invoice"), "invoice_id", F("invoice__number")),
        ),
    )
)
