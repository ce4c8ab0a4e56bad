"""Customers and their orders as billing sees them.

Finance staff must bill every customer, also those of teams they are not in, so for the
billing roles (finance, managers, administrators) these reads are not narrowed by the
contacts visibility rule; anyone else gets exactly that rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from hamkor.accounts.models import User
from hamkor.billing.models import InvoiceOrderLine
from hamkor.billing.permissions import manages_billing
from hamkor.billing.services.totals import hours_from_minutes
from hamkor.contacts.models import Company, Contact
from hamkor.contacts.selectors import visible
from hamkor.projects.models import Project, TimeEntry
from hamkor.projects.selectors.time import list_unbilled_time
from hamkor.sales.models import Order, OrderLine, OrderStatus

# Orders whose lines can be invoiced: agreed and not cancelled. Drafts are not agreed yet;
# paid ones were settled at the till.
BILLABLE_ORDER_STATUSES = (OrderStatus.CONFIRMED,)
# The picker shows at most this many entries; an API client can bill any number.
MAX_PICKER_ENTRIES = 2000


def _scoped(queryset: QuerySet[Contact] | QuerySet[Company], viewer: User) -> QuerySet:  # type: ignore[type-arg]
    return queryset if manages_billing(viewer) else visible(queryset, viewer)


def get_billing_contact(*, viewer: User, pk: int) -> Contact:
    """A contact billing may work with; Contact.DoesNotExist otherwise."""
    contacts: QuerySet[Contact] = _scoped(Contact.objects.select_related("company"), viewer)
    return contacts.get(pk=pk)


def get_billing_company(*, viewer: User, pk: int) -> Company:
    """A company billing may work with; Company.DoesNotExist otherwise."""
    companies: QuerySet[Company] = _scoped(Company.objects.all(), viewer)
    return companies.get(pk=pk)


def list_billable_orders(
    *, viewer: User, contact: Contact | None, company: Company | None
) -> list[Order]:
    """Confirmed orders of the customer (the company's when there is one), lines prefetched."""
    orders = Order.objects.filter(status__in=BILLABLE_ORDER_STATUSES)
    if company is not None:
        orders = orders.filter(company=company)
    elif contact is not None:
        orders = orders.filter(contact=contact)
    else:
        return []
    if not manages_billing(viewer):
        orders = visible(orders, viewer)
    lines = OrderLine.objects.select_related("product").order_by("position", "id")
    return list(
        orders.prefetch_related(Prefetch("lines", queryset=lines)).order_by("ordered_at", "id")
    )


@dataclass
class ProjectTime:
    """A project's unbilled billable time, for the new-invoice picker."""

    project: Project
    entries: list[TimeEntry] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return sum(entry.minutes or 0 for entry in self.entries)

    @property
    def hours(self) -> Decimal:
        return hours_from_minutes(self.minutes)


def list_unbilled_work(
    *, viewer: User, contact: Contact | None, company: Company | None
) -> tuple[list[ProjectTime], list[tuple[Order, OrderLine]]]:
    """The customer's unbilled time (grouped by project) and order lines not yet invoiced."""
    entries = list_unbilled_time(
        viewer=viewer, company=company, contact=None if company else contact
    )
    projects: dict[int, ProjectTime] = {}
    for entry in entries[:MAX_PICKER_ENTRIES]:
        projects.setdefault(entry.project_id, ProjectTime(project=entry.project)).entries.append(
            entry
        )
    orders = list_billable_orders(viewer=viewer, contact=contact, company=company)
    line_ids = [line.pk for order in orders for line in order.lines.all()]
    billed = set(
        InvoiceOrderLine.objects.filter(order_line_id__in=line_ids).values_list(
            "order_line_id", flat=True
        )
    )
    lines = [
        (order, line) for order in orders for line in order.lines.all() if line.pk not in billed
    ]
    return list(projects.values()), lines
