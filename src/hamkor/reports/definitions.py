"""The reports: one short declaration per list, each reading through its app's selector.

Every source is that app's visibility rule for its list pages, so a report shows exactly
the records the viewer could open there.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from hamkor.accounts.models import User
from hamkor.activities.models import Activity, Interaction
from hamkor.activities.selectors import list_interactions
from hamkor.activities.selectors.activities import visible_activities
from hamkor.billing.models import Invoice, Payment
from hamkor.billing.selectors.invoices import visible_invoices
from hamkor.booking.models import Booking
from hamkor.booking.selectors import visible_bookings
from hamkor.contacts.models import Company, Contact
from hamkor.contacts.selectors import list_companies, list_contacts
from hamkor.projects.models import Task, TimeEntry
from hamkor.projects.selectors.tasks import visible_tasks
from hamkor.projects.selectors.time import visible_time_entries
from hamkor.reports.registry import (
    Column,
    ColumnType,
    Filter,
    FilterKind,
    Grouping,
    Report,
    contact_name,
    customer,
    owner_grouping,
    person,
    register,
    team_grouping,
)
from hamkor.sales.models import Deal, Order, OrderLine
from hamkor.sales.selectors.deals import list_deals
from hamkor.sales.selectors.orders import list_orders
from hamkor.support.models import Ticket
from hamkor.support.selectors.tickets import visible_tickets

T, D, DT, M, N, C, B = (
    ColumnType.TEXT,
    ColumnType.DATE,
    ColumnType.DATETIME,
    ColumnType.MONEY,
    ColumnType.NUMBER,
    ColumnType.CHOICE,
    ColumnType.BOOLEAN,
)


def _dates(path: str, label: Any) -> Filter:
    return Filter("date", label, FilterKind.DATE, (path,))


def _choice(key: str, label: Any, path: str | None = None) -> Filter:
    return Filter(key, label, FilterKind.CHOICE, (path or key,))


def _owner(path: str = "owner_id", label: Any = None) -> Filter:
    return Filter("owner", label or _("Owner"), FilterKind.OWNER, (path,))


def _team(path: str = "team_id") -> Filter:
    return Filter("team", _("Team"), FilterKind.TEAM, (path,))


def _text(*paths: str) -> Filter:
    return Filter("q", _("Search"), FilterKind.TEXT, paths)


def _choice_group(key: str, label: Any, path: str | None = None) -> Grouping:
    return Grouping(key, label, path or key, type=ColumnType.CHOICE)


CUSTOMER_TEXT = ("company__name", "contact__first_name", "contact__last_name")


def _order_lines(viewer: User) -> QuerySet[OrderLine]:
    orders = list_orders(viewer=viewer).order_by().values("pk")
    return OrderLine.objects.filter(order__in=orders).order_by("-order__ordered_at", "-id")


def _payments(viewer: User) -> QuerySet[Payment]:
    invoices = visible_invoices(viewer).order_by().values("pk")
    return Payment.objects.filter(invoice__in=invoices).order_by("-paid_on", "-id")


register(
    Report(
        key="contacts",
        title=_("Contacts"),
        model=Contact,
        source=lambda viewer: list_contacts(viewer=viewer),
        columns=(
            Column("name", _("Name"), contact_name("")),
            Column("company", _("Company"), "company__name"),
            Column("city", _("City"), "city"),
            Column("stage", _("Stage"), "stage", C),
            Column("source", _("Source"), "source__name"),
            Column("owner", _("Owner"), person("owner__")),
            Column("created", _("Created"), "created_at", DT),
        ),
        filters=(
            _dates("created_at", _("Created")),
            _choice("stage", _("Stage")),
            _owner(),
            _team(),
            _text("first_name", "last_name", "company__name", "city"),
        ),
        groupings=(
            _choice_group("stage", _("Stage")),
            Grouping("source", _("Source"), "source_id", F("source__name")),
            Grouping("city", _("City"), "city"),
            owner_grouping(),
            team_grouping(),
        ),
    )
)

register(
    Report(
        key="companies",
        title=_("Companies"),
        model=Company,
        source=lambda viewer: list_companies(viewer=viewer),
        columns=(
            Column("name", _("Name"), "name"),
            Column("tax_id", _("Tax ID"), "tax_id"),
            Column("city", _("City"), "city"),
            Column("phone", _("Phone"), "phone"),
            Column("email", _("Email"), "email"),
            Column("owner", _("Owner"), person("owner__")),
            Column("created", _("Created"), "created_at", DT),
        ),
        filters=(_dates("created_at", _("Created")), _owner(), _team(), _text("name", "city")),
        groupings=(Grouping("city", _("City"), "city"), owner_grouping(), team_grouping()),
    )
)

register(
    Report(
        key="orders",
        title=_("Orders"),
        model=Order,
        source=lambda viewer: list_orders(viewer=viewer),
        currency="currency",
        pdf=True,
        columns=(
            Column("ordered", _("Ordered"), "ordered_at", DT),
            Column("customer", _("Customer"), customer()),
            Column("status", _("Status"), "status", C),
            Column("channel", _("Channel"), "channel", C),
            Column("payment", _("Payment"), "payment_type__name"),
            Column("owner", _("Owner"), person("owner__")),
            Column("total", _("Total"), "total", M, total=True),
            Column("currency", _("Currency"), "currency"),
        ),
        filters=(
            _dates("ordered_at", _("Ordered")),
            _choice("status", _("Status")),
            _choice("channel", _("Channel")),
            _owner(),
            _team(),
            _text(*CUSTOMER_TEXT),
        ),
        groupings=(
            _choice_group("status", _("Status")),
            _choice_group("channel", _("Channel")),
            Grouping("payment", _("Payment"), "payment_type_id", F("payment_type__name")),
            Grouping("customer", _("Customer"), "contact_id", customer()),
            owner_grouping(),
            team_grouping(),
        ),
    )
)

register(
    Report(
        key="order-lines",
        title=_("Products sold"),
        model=OrderLine,
        source=_order_lines,
        currency="order__currency",
        columns=(
            Column("ordered", _("Ordered"), "order__ordered_at", DT),
            Column("sku", _("SKU"), "product__sku"),
            Column("product", _("Product"), "product__name"),
            Column("description", _("Description"), "description"),
            Column("customer", _("Customer"), customer("order__")),
            Column("quantity", _("Quantity"), "quantity", N, total=True),
            Column("unit_price", _("Unit price"), "unit_price", M),
            Column("line_total", _("Line total"), "line_total", M, total=True),
            Column("currency", _("Currency"), "order__currency"),
        ),
        filters=(
            _dates("order__ordered_at", _("Ordered")),
            _choice("status", _("Order status"), "order__status"),
            _owner("order__owner_id"),
            _team("order__team_id"),
            _text("product__name", "product__sku", "description"),
        ),
        groupings=(
            Grouping("product", _("Product"), "product_id", F("product__name")),
            Grouping("category", _("Category"), "product__category"),
            owner_grouping("order__owner", _("Owner")),
        ),
    )
)

register(
    Report(
        key="deals",
        title=_("Deals"),
        model=Deal,
        source=lambda viewer: list_deals(viewer=viewer),
        currency="currency",
        pdf=True,
        columns=(
            Column("title", _("Title"), "title"),
            Column("customer", _("Customer"), customer()),
            Column("pipeline", _("Pipeline"), "pipeline__name"),
            Column("stage", _("Stage"), "stage__name"),
            Column("status", _("Status"), "status", C),
            Column("owner", _("Owner"), person("owner__")),
            Column("expected", _("Expected close"), "expected_close_date", D),
            Column("amount", _("Amount"), "amount", M, total=True),
            Column("currency", _("Currency"), "currency"),
        ),
        filters=(
            _dates("created_at", _("Created")),
            _choice("status", _("Status")),
            _owner(),
            _team(),
            _text("title", *CUSTOMER_TEXT),
        ),
        groupings=(
            _choice_group("status", _("Status")),
            Grouping("stage", _("Stage"), "stage_id", F("stage__name")),
            Grouping("pipeline", _("Pipeline"), "pipeline_id", F("pipeline__name")),
            owner_grouping(),
            team_grouping(),
        ),
    )
)

register(
    Report(
        key="activities",
        title=_("Activities"),
        model=Activity,
        source=lambda viewer: visible_activities(viewer).order_by("-due_at", "-id"),
        columns=(
            Column("due", _("Due"), "due_at", DT),
            Column("kind", _("Kind"), "kind", C),
            Column("subject", _("Subject"), "subject"),
            Column("contact", _("Contact"), contact_name("contact__")),
            Column("owner", _("Owner"), person("owner__")),
            Column("outcome", _("Outcome"), "outcome", C),
            Column("done", _("Done"), "done_at", DT),
            Column("minutes", _("Minutes"), "duration_minutes", N, total=True),
        ),
        filters=(
            _dates("due_at", _("Due")),
            _choice("kind", _("Kind")),
            _choice("outcome", _("Outcome")),
            _owner(),
            _team(),
            _text("subject", "contact__first_name", "contact__last_name"),
        ),
        groupings=(
            _choice_group("kind", _("Kind")),
            _choice_group("outcome", _("Outcome")),
            owner_grouping(),
            team_grouping(),
        ),
    )
)

register(
    Report(
        key="interactions",
        title=_("Interactions"),
        model=Interaction,
        source=lambda viewer: list_interactions(viewer=viewer),
        columns=(
            Column("occurred", _("When"), "occurred_at", DT),
            Column("channel", _("Channel"), "channel", C),
            Column("direction", _("Direction"), "direction", C),
            Column("subject", _("Subject"), "subject"),
            Column("contact", _("Contact"), contact_name("contact__")),
            Column("company", _("Company"), "company__name"),
            Column("by", _("Logged by"), person("created_by__")),
            Column("outcome", _("Outcome"), "outcome", C),
        ),
        filters=(
            _dates("occurred_at", _("When")),
            _choice("channel", _("Channel")),
            _choice("direction", _("Direction")),
            _owner("created_by_id", _("Logged by")),
            _text("subject", *CUSTOMER_TEXT),
        ),
        groupings=(
            _choice_group("channel", _("Channel")),
            _choice_group("direction", _("Direction")),
            _choice_group("outcome", _("Outcome")),
            owner_grouping("created_by", _("Logged by")),
        ),
    )
)

register(
    Report(
        key="tasks",
        title=_("Tasks"),
        model=Task,
        source=lambda viewer: visible_tasks(viewer).order_by("due_date", "id"),
        columns=(
            Column("title", _("Title"), "title"),
            Column("project", _("Project"), "project__name"),
            Column("assignee", _("Assignee"), person("assignee__")),
            Column("status", _("Status"), "status", C),
            Column("due", _("Due"), "due_date", D),
            Column("estimate", _("Estimate (hours)"), "estimate_hours", N, total=True),
            Column("completed", _("Completed"), "completed_at", DT),
        ),
        filters=(
            _dates("due_date", _("Due")),
            _choice("status", _("Status")),
            _owner("assignee_id", _("Assignee")),
            _team("project__team_id"),
            _text("title", "project__name"),
        ),
        groupings=(
            _choice_group("status", _("Status")),
            Grouping("project", _("Project"), "project_id", F("project__name")),
            owner_grouping("assignee", _("Assignee")),
        ),
    )
)

register(
    Report(
        key="time",
        title=_("Time entries"),
        model=TimeEntry,
        source=lambda viewer: visible_time_entries(viewer).order_by("-started_at", "-id"),
        currency="currency",
        columns=(
            Column("started", _("Started"), "started_at", DT),
            Column("user", _("Person"), person("user__")),
            Column("project", _("Project"), "project__name"),
            Column("task", _("Task"), "task__title"),
            Column("note", _("Note"), "note"),
            Column("minutes", _("Minutes"), "minutes", N, total=True),
            Column("billable", _("Billable"), "billable", B),
            Column("rate", _("Hourly rate"), "rate", M),
            Column("currency", _("Currency"), "currency"),
        ),
        filters=(
            _dates("started_at", _("Started")),
            _owner("user_id", _("Person")),
            _team("user__team_id"),
            _text("note", "project__name", "task__title"),
        ),
        groupings=(
            owner_grouping("user", _("Person")),
            Grouping("project", _("Project"), "project_id", F("project__name")),
            Grouping("billable", _("Billable"), "billable", type=B),
        ),
    )
)

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

register(
    Report(
        key="tickets",
        title=_("Tickets"),
        model=Ticket,
        source=lambda viewer: visible_tickets(viewer).order_by("-created_at", "-id"),
        pdf=True,
        columns=(
            Column("number", _("Number"), "id", N),
            Column("created", _("Opened"), "created_at", DT),
            Column("subject", _("Subject"), "subject"),
            Column("customer", _("Customer"), customer()),
            Column("type", _("Type"), "type", C),
            Column("priority", _("Priority"), "priority", C),
            Column("status", _("Status"), "status", C),
            Column("assignee", _("Assignee"), person("assignee__")),
            Column("resolved", _("Resolved"), "resolved_at", DT),
        ),
        filters=(
            _dates("created_at", _("Opened")),
            _choice("status", _("Status")),
            _choice("priority", _("Priority")),
            _choice("type", _("Type")),
            _owner("assignee_id", _("Assignee")),
            _team(),
            _text("subject", *CUSTOMER_TEXT),
        ),
        groupings=(
            _choice_group("status", _("Status")),
            _choice_group("priority", _("Priority")),
            _choice_group("type", _("Type")),
            owner_grouping("assignee", _("Assignee")),
            team_grouping(),
        ),
    )
)

register(
    Report(
        key="bookings",
        title=_("Bookings"),
        model=Booking,
        source=lambda viewer: visible_bookings(viewer).order_by("-starts_at", "-id"),
        columns=(
            Column("starts", _("Starts"), "starts_at", DT),
            Column("name", _("Name"), "name"),
            Column("page", _("Booking page"), "page__title"),
            Column("status", _("Status"), "status", C),
            Column("channel", _("Channel"), "channel", C),
            Column("owner", _("Staff"), person("owner__")),
            Column("email", _("Email"), "email"),
            Column("phone", _("Phone"), "phone"),
        ),
        filters=(
            _dates("starts_at", _("Starts")),
            _choice("status", _("Status")),
            _owner(label=_("Staff")),
            _team(),
            _text("name", "email", "phone"),
        ),
        groupings=(
            _choice_group("status", _("Status")),
            Grouping("page", _("Booking page"), "page_id", F("page__title")),
            owner_grouping(label=_("Staff")),
        ),
    )
)
