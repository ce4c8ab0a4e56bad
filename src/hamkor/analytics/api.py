"""RFM scores, the owner's dashboard and its pre-aggregated figures."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from hamkor.analytics.rfm import EXPLANATIONS
from hamkor.analytics.schemas import (
    CohortRetentionOut,
    DashboardFiguresOut,
    DashboardQueryIn,
    RfmScoreOut,
)
from hamkor.analytics.selectors import (
    get_contact_rfm,
    get_dashboard,
    list_cohorts,
    may_view_dashboard,
)
from hamkor.analytics.selectors.dashboard import CohortRow, Dashboard
from hamkor.contacts.api import viewer_of
from hamkor.contacts.schemas import READ_ERRORS, ErrorOut
from hamkor.core.currency import base_currency

router = Router(tags=["analytics"])

DASHBOARD_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 403: ErrorOut}


def _require_dashboard(request: HttpRequest) -> None:
    if not may_view_dashboard(viewer_of(request)):
        raise HttpError(403, _("Only managers and administrators see the dashboard."))


def _cohort_out(row: CohortRow) -> dict[str, Any]:
    return {
        "cohort": row.cohort,
        "customers": row.customers,
        "returning": row.returning,
        "retention": row.retention,
    }


def _dashboard_out(dashboard: Dashboard) -> dict[str, Any]:
    meetings = dashboard.meetings
    return {
        "currency": dashboard.currency,
        "refreshed_at": dashboard.refreshed.finished_at if dashboard.refreshed else None,
        "pipeline": [vars(figure) for figure in dashboard.pipeline],
        "revenue_by_month": [vars(month) for month in dashboard.revenue],
        "new_customer_months": dashboard.new_months,
        "new_customers_by_source": [
            {**vars(series), "total": series.total} for series in dashboard.new_by_source
        ],
        "meetings_last_week": {**vars(meetings), "success_rate": meetings.success_rate},
        "follow_ups": vars(dashboard.follow_ups),
        "tickets": vars(dashboard.tickets),
        "cohorts": [_cohort_out(row) for row in dashboard.cohorts],
        "churn": {
            "days": dashboard.churn.days,
            "cutoff": dashboard.churn.cutoff,
            "customers": dashboard.churn.customers,
            "latest": [
                {
                    "contact_id": score.contact_id,
                    "name": score.contact.full_name,
                    "last_order_on": score.last_order_on,
                    "orders": score.orders,
                    "lifetime_value": score.lifetime_value,
                }
                for score in dashboard.churn.sample
            ],
        },
    }


@router.get(
    "/dashboard",
    response={200: DashboardFiguresOut, **DASHBOARD_ERRORS},
    summary="Dashboard figures (managers and administrators)",
)
def dashboard_view(request: HttpRequest, filters: Query[DashboardQueryIn]) -> dict[str, Any]:
    _require_dashboard(request)
    dashboard = get_dashboard(
        viewer=viewer_of(request), churn_days=filters.churn_days, months=filters.months
    )
    return _dashboard_out(dashboard)


@router.get(
    "/cohorts",
    response={200: list[CohortRetentionOut], **DASHBOARD_ERRORS},
    summary="Retention by monthly cohort (managers and administrators)",
)
def cohorts_view(request: HttpRequest) -> list[dict[str, Any]]:
    _require_dashboard(request)
    return [_cohort_out(row) for row in list_cohorts()]


@router.get(
    "/rfm/{contact_id}",
    response={200: RfmScoreOut, **READ_ERRORS},
    summary="A contact's RFM scores and group",
)
def rfm_view(request: HttpRequest, contact_id: int) -> dict[str, Any]:
    score = get_contact_rfm(viewer=viewer_of(request), contact_id=contact_id)
    if score is None:
        raise HttpError(404, _("This contact has no RFM score: no confirmed or paid orders."))
    return {
        "contact_id": score.contact_id,
        "recency": score.recency,
        "frequency": score.frequency,
        "monetary": score.monetary,
        "code": score.code,
        "group": score.group,
        "group_name": score.get_group_display(),
        "explanation": str(EXPLANATIONS[score.group]),
        "orders": score.orders,
        "first_order_on": score.first_order_on,
        "last_order_on": score.last_order_on,
        "lifetime_value": score.lifetime_value,
        "currency": base_currency(),
        "computed_at": score.computed_at,
    }
