"""Writes of analytics: the rebuild of pre-aggregated figures and RFM scores."""

from hamkor.analytics.services.refresh import (
    RateBook,
    refresh_analytics,
    refresh_contact_rfm,
    scan_orders,
    score_customers,
)

__all__ = [
    "RateBook",
    "refresh_analytics",
    "refresh_contact_rfm",
    "scan_orders",
    "score_customers",
]
