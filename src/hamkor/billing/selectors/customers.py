"""Customers and their orders as billing sees them.

Finance staff must bill every customer, also those of teams they are not in, so for the
billing roles (finance, managers, administrators) these reads are not narrowed by the
contacts visibility rule; anyone else gets exactly that rule.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from hamkor.accounts.models import User
from hamkor.billing.permissions import manages_billing
from hamkor.contacts.models import Company, Contact
from hamkor.contacts.selectors import visible
from hamkor.sales.models import Order, OrderLine, OrderStatus

# Orders whose lines can be invoiced: agreed and not cancelled. Drafts are not agreed yet;
# paid ones were settled at the till.
BILLABLE_ORDER_STATUSES = (OrderStatus.CONFIRMED,)


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
