"""REST API for team workload, capacity and the managers' risk list."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from hamkor.contacts.api import read_query, viewer_of
from hamkor.contacts.schemas import READ_ERRORS, WRITE_ERRORS
from hamkor.contacts.selectors import get_assignable_owner
from hamkor.projects.schemas_time import (
    CapacityIn,
    CapacityOut,
    RisksOut,
    WorkloadFilterIn,
    WorkloadOut,
)
from hamkor.projects.selectors.risk import BudgetRisk, get_risk_list
from hamkor.projects.selectors.workload import get_workload
from hamkor.projects.services.time import set_work_capacity

workload_router = Router(tags=["workload"])
risks_router = Router(tags=["workload"])

FORBIDDEN_ERRORS = {**READ_ERRORS, 403: READ_ERRORS[404]}


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@workload_router.get(
    "",
    response={200: WorkloadOut, **READ_ERRORS},
    summary="Open hours per person per week",
    description="Each open task assigned to someone adds its remaining estimate (estimate "
    "minus hours logged on it) to the ISO week of its due date; overdue tasks count in this "
    "week, tasks without a due date in `undated`. `over`: more than the person's weekly "
    "capacity (40 h unless set). Managers see everyone (or one team); others their own row.",
)
def workload_view(request: HttpRequest, filters: Query[WorkloadFilterIn]) -> dict[str, Any]:
    read_query(request, filters)
    workload = get_workload(
        viewer=viewer_of(request),
        weeks=filters.weeks,
        team_id=filters.team_id,
        start=filters.start,
    )
    return {
        "weeks": workload.weeks,
        "rows": [
            {
                "user": row.user,
                "capacity": str(row.capacity),
                "weeks": [
                    {"week": cell.week, "hours": str(cell.hours), "over": cell.over}
                    for cell in row.cells
                ],
                "undated": str(row.undated),
            }
            for row in workload.rows
        ],
    }


@workload_router.put(
    "/capacity/{user_id}",
    response={200: CapacityOut, **WRITE_ERRORS, 403: WRITE_ERRORS[404]},
    summary="Set a person's weekly capacity",
    description="Hours per week, 0 to 168. Managers and admins only.",
)
def capacity_view(request: HttpRequest, user_id: int, payload: CapacityIn) -> dict[str, Any]:
    viewer = viewer_of(request)
    user = get_assignable_owner(viewer=viewer, pk=user_id)
    try:
        capacity = set_work_capacity(actor=viewer, user=user, weekly_hours=payload.weekly_hours)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    return {"user_id": user.pk, "weekly_hours": str(capacity.weekly_hours)}


def _budget(risk: BudgetRisk) -> dict[str, Any]:
    project = risk.project
    return {
        "project": project,
        "hours": str(risk.hours),
        "budget_hours": _text(project.budget_hours),
        "cost": _text(risk.cost),
        "budget_amount": _text(project.budget_amount),
        "currency": project.currency,
        "over_hours": risk.over_hours,
        "over_amount": risk.over_amount,
        "cost_error": risk.cost_error,
    }


@risks_router.get(
    "",
    response={200: RisksOut, **FORBIDDEN_ERRORS},
    summary="Risk list",
    description="Open tasks past due, open projects past due, and open projects whose "
    "logged hours exceed the hours budget or whose billable time at entry rates (in the "
    "project's currency, at today's rates) exceeds the amount budget. At most 50 of each, "
    "worst first; the counts say how many there are. Managers and admins only (403).",
)
def risks_view(request: HttpRequest) -> dict[str, Any]:
    try:
        risks = get_risk_list(viewer=viewer_of(request))
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    return {
        "today": risks.today,
        "overdue_tasks": risks.overdue_tasks,
        "overdue_task_count": risks.overdue_task_count,
        "late_projects": risks.late_projects,
        "late_project_count": risks.late_project_count,
        "over_budget": [_budget(risk) for risk in risks.over_budget],
        "over_budget_count": risks.over_budget_count,
    }
