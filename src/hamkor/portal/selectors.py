"""What a signed-in customer may read: their own orders, invoices and projects.

Whose records a customer sees (one rule for every section, in ``_own``):

* every record that names the customer as its contact;
* records addressed to the customer's company as a whole, that is with a company and no
  contact (a project or an invoice for the company). Records of the same company that name
  another person stay that person's own.

Drafts (orders and invoices still being prepared by staff) are not shown. Records are found
by UUID; anything outside these rules raises ``DoesNotExist`` so the views answer 404, the
same as for an id that exists nowhere.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from hamkor.billing.models import Invoice, InvoiceStatus
from hamkor.billing.selectors.invoices import with_details
from hamkor.consent.models import Purpose
from hamkor.consent.selectors import ConsentStatus, get_consent_state
from hamkor.contacts.models import (
    ChannelConsent,
    ConsentChannel,
    Contact,
    ContactEmail,
    ContactPhone,
)
from hamkor.projects.models import Project, ProjectStatus, Task, TaskStatus
from hamkor.sales.models import Order, OrderLine, OrderStatus

RECENT = 3
FINISHED_PROJECTS = (ProjectStatus.DONE, ProjectStatus.CANCELLED)


def _own(contact: Contact) -> Q:
    rule = Q(contact_id=contact.pk)
    if contact.company_id is not None:
        rule |= Q(contact__isnull=True, company_id=contact.company_id)
    return rule


# --- login ------------------------------------------------------------------------------


def find_login_contact(*, channel: str, address: str) -> Contact | None:
    """The one active contact with this normalised email or phone; None for none or several."""
    active = Contact.objects.filter(archived_at__isnull=True)
    ids = (
        ContactEmail.objects.filter(email=address, contact__in=active).values_list("contact_id")
        if channel == "email"
        else ContactPhone.objects.filter(number=address, contact__in=active).values_list(
            "contact_id"
        )
    )
    # Two records sharing an address are two people (or an unmerged duplicate): which one
    # is logging in cannot be told, so neither gets a code.
    found = list(ids.distinct().order_by("contact_id")[:2])
    if len(found) != 1:
        return None
    return active.get(pk=found[0][0])


def list_shared_addresses(
    *, contact: Contact, phones: Sequence[str], emails: Sequence[str]
) -> set[str]:
    """Which of these normalised addresses another active contact also has."""
    others = Contact.objects.filter(archived_at__isnull=True).exclude(pk=contact.pk)
    shared = set(
        ContactPhone.objects.filter(number__in=phones, contact__in=others).values_list(
            "number", flat=True
        )
    )
    shared |= set(
        ContactEmail.objects.filter(email__in=emails, contact__in=others).values_list(
            "email", flat=True
        )
    )
    return shared


# --- orders -----------------------------------------------------------------------------


def list_orders(*, contact: Contact) -> QuerySet[Order]:
    """The customer's orders, newest first, drafts left out."""
    return (
        Order.objects.filter(_own(contact))
        .exclude(status=OrderStatus.DRAFT)
        .order_by("-ordered_at", "-id")
    )


def get_order(*, contact: Contact, order_uuid: uuid.UUID) -> Order:
    """One of the customer's orders with its lines and products; Order.DoesNotExist otherwise."""
    lines = OrderLine.objects.select_related("product").order_by("position", "id")
    return (
        list_orders(contact=contact)
        .select_related("payment_type")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .get(uuid=order_uuid)
    )


# --- invoices ---------------------------------------------------------------------------


def list_invoices(*, contact: Contact) -> QuerySet[Invoice]:
    """The customer's issued (or later) invoices, newest first; drafts are hidden."""
    return (
        Invoice.objects.filter(_own(contact))
        .exclude(status=InvoiceStatus.DRAFT)
        .select_related("contact", "company")
        .order_by("-issue_date", "-id")
    )


def get_invoice(*, contact: Contact, invoice_uuid: uuid.UUID) -> Invoice:
    """One of the customer's invoices with lines and payments; Invoice.DoesNotExist otherwise."""
    return with_details(list_invoices(contact=contact)).get(uuid=invoice_uuid)


# --- projects ---------------------------------------------------------------------------


def list_projects(*, contact: Contact) -> QuerySet[Project]:
    """The customer's projects with task counts (``tasks_total``, ``tasks_done``), newest first."""
    return (
        Project.objects.filter(_own(contact))
        .annotate(
            tasks_total=Count("tasks"),
            tasks_done=Count("tasks", filter=Q(tasks__status=TaskStatus.DONE)),
        )
        .order_by("-created_at", "-id")
    )


def get_project(*, contact: Contact, project_uuid: uuid.UUID) -> Project:
    """One of the customer's projects with counts; Project.DoesNotExist otherwise."""
    return list_projects(contact=contact).get(uuid=project_uuid)


def list_project_milestones(*, project: Project) -> list[Task]:
    """The planned steps of a project the customer already fetched, in plan order.

    Only tasks made from the project's workflow template count: those are the stages the
    customer was sold ("Design", "Development"); tasks staff add along the way are internal.
    """
    return list(
        Task.objects.filter(project=project, step__isnull=False)
        .only("title", "status", "due_date", "completed_at", "position")
        .order_by("position", "id")
    )


# --- home and profile -------------------------------------------------------------------


@dataclass(frozen=True)
class PortalSummary:
    orders: list[Order]
    invoices: list[Invoice]
    projects: list[Project]
    open_invoice_count: int


def get_summary(*, contact: Contact) -> PortalSummary:
    """The few most recent records of each kind for the portal's home page."""
    invoices = list_invoices(contact=contact)
    return PortalSummary(
        orders=list(list_orders(contact=contact)[:RECENT]),
        invoices=list(invoices[:RECENT]),
        projects=list(
            list_projects(contact=contact).exclude(status__in=FINISHED_PROJECTS)[:RECENT]
        ),
        open_invoice_count=invoices.filter(
            status__in=[InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID]
        ).count(),
    )


def get_consents(*, contact: Contact) -> dict[str, ChannelConsent]:
    """The customer's recorded consent per channel."""
    return {
        consent.channel: consent
        for consent in ChannelConsent.objects.filter(contact=contact).order_by("channel")
    }


def get_service_consents(*, contact: Contact) -> dict[str, ConsentStatus]:
    """Where service messages (ticket replies, booking confirmations) stand per channel the
    portal offers; they are sent unless the latest record withdrew them."""
    state = get_consent_state(contact=contact)
    return {channel: state[Purpose.SERVICE, channel] for channel in ConsentChannel.values}
