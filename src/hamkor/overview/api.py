"""REST API for the customer overview of a contact or a company."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from hamkor.contacts.api import viewer_of
from hamkor.contacts.models import Company
from hamkor.contacts.schemas import READ_ERRORS
from hamkor.overview.schemas import OverviewOut
from hamkor.overview.selectors import (
    Amount,
    CustomerOverview,
    get_company_overview,
    get_contact_overview,
)

# Mounted at /contacts and /companies beside the contacts app's own routers.
contact_overview_router = Router(tags=["overview"])
company_overview_router = Router(tags=["overview"])


@contact_overview_router.get("/{contact_id}/overview", response={200: OverviewOut, **READ_ERRORS})
def contact_overview_view(request: HttpRequest, contact_id: int) -> dict[str, Any]:
    """Deals, orders, projects with hours against budget, open tasks, invoices and the
    balance due, and the latest interactions of one contact; 404 if not visible."""
    return _out(get_contact_overview(viewer=viewer_of(request), pk=contact_id))


@company_overview_router.get("/{company_id}/overview", response={200: OverviewOut, **READ_ERRORS})
def company_overview_view(request: HttpRequest, company_id: int) -> dict[str, Any]:
    """The same for one company; 404 if not visible."""
    return _out(get_company_overview(viewer=viewer_of(request), pk=company_id))


def _amount(total: Amount) -> dict[str, Any]:
    return {
        "amount": total.amount,
        "currency": total.currency,
        "parts": [{"currency": p.currency, "amount": p.amount} for p in total.parts],
        "error": total.error,
    }


def _out(overview: CustomerOverview) -> dict[str, Any]:
    customer = overview.customer
    deals, orders, projects, tasks = (
        overview.deals,
        overview.orders,
        overview.projects,
        overview.tasks,
    )
    invoices = overview.invoices
    return {
        "customer": {
            "kind": "company" if isinstance(customer, Company) else "contact",
            "id": customer.pk,
            "name": customer.name if isinstance(customer, Company) else customer.full_name,
        },
        "currency": overview.currency,
        "today": overview.today,
        "deals": {
            "count": deals.count,
            "open_count": deals.open_count,
            "won_count": deals.won_count,
            "lost_count": deals.lost_count,
            "open_amount": _amount(deals.open_amount),
            "won_amount": _amount(deals.won_amount),
            "latest": [
                {
                    "id": d.pk,
                    "title": d.title,
                    "status": d.status,
                    "stage": d.stage.name,
                    "amount": d.amount,
                    "currency": d.currency,
                    "expected_close_date": d.expected_close_date,
                }
                for d in deals.latest
            ],
        },
        "orders": {
            "count": orders.count,
            "purchase_count": orders.purchase_count,
            "purchases": _amount(orders.purchases),
            "last_ordered_at": orders.last_ordered_at,
            "latest": [
                {
                    "id": o.pk,
                    "status": o.status,
                    "ordered_at": o.ordered_at,
                    "total": o.total,
                    "currency": o.currency,
                }
                for o in orders.latest
            ],
        },
        "projects": {
            "count": projects.count,
            "open_count": projects.open_count,
            "over_budget_count": projects.over_budget_count,
            "hours_logged": projects.hours,
            "budget_hours": projects.budget_hours,
            "hours_on_budgeted": projects.hours_on_budgeted,
            "latest": [
                {
                    "id": line.project.pk,
                    "name": line.project.name,
                    "status": line.project.status,
                    "due_date": line.project.due_date,
                    "task_count": getattr(line.project, "task_count", 0),
                    "done_count": getattr(line.project, "done_count", 0),
                    "open_tasks": line.open_tasks,
                    "progress_percent": line.progress,
                    "hours_logged": line.hours,
                    "budget_hours": line.budget_hours,
                    "over_budget": line.over_budget,
                }
                for line in projects.lines
            ],
        },
        "tasks": {
            "open_count": tasks.open_count,
            "overdue_count": tasks.overdue_count,
            "upcoming": [
                {
                    "id": t.pk,
                    "project_id": t.project_id,
                    "title": t.title,
                    "status": t.status,
                    "due_date": t.due_date,
                    "assignee_id": t.assignee_id,
                    "role": t.role,
                    "overdue": t.due_date is not None and t.due_date < overview.today,
                }
                for t in tasks.upcoming
            ],
        },
        "invoices": None
        if invoices is None
        else {
            "count": invoices.count,
            "open_count": invoices.open_count,
            "overdue_count": invoices.overdue_count,
            "invoiced": _amount(invoices.invoiced),
            "paid": _amount(invoices.paid),
            "balance": _amount(invoices.balance),
            "overdue": _amount(invoices.overdue),
            "latest": [
                {
                    "id": i.pk,
                    "number": i.number,
                    "status": i.status,
                    "currency": i.currency,
                    "gross_total": i.gross_total,
                    "balance": i.balance,
                    "issue_date": i.issue_date,
                    "due_date": i.due_date,
                }
                for i in invoices.latest
            ],
        },
        "interactions": [
            {
                "id": i.pk,
                "channel": i.channel,
                "direction": i.direction,
                "subject": i.subject,
                "outcome": i.outcome,
                "occurred_at": i.occurred_at,
            }
            for i in overview.interactions
        ],
    }
