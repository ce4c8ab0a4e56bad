"""Reads of analytics: dashboard figures, cohorts, churn and a contact's RFM score."""

from hamkor.analytics.selectors.dashboard import (
    DEFAULT_CHURN_DAYS,
    DEFAULT_MONTHS,
    Dashboard,
    get_churn,
    get_dashboard,
    get_latest_refresh,
    list_churned,
    list_cohorts,
    list_new_customers_by_source,
    list_pipeline_by_stage,
    list_revenue_by_month,
    may_view_dashboard,
)
from hamkor.analytics.selectors.rfm import get_contact_rfm

__all__ = [
    "DEFAULT_CHURN_DAYS",
    "DEFAULT_MONTHS",
    "Dashboard",
    "get_churn",
    "get_contact_rfm",
    "get_dashboard",
    "get_latest_refresh",
    "list_churned",
    "list_cohorts",
    "list_new_customers_by_source",
    "list_pipeline_by_stage",
    "list_revenue_by_month",
    "may_view_dashboard",
]
