"""Pages of the activities app: home, timeline and interactions, activities and calendar."""

from hamkor.activities.views.interactions import (
    AuthedRequest,
    company_timeline,
    contact_timeline,
    delete,
    edit,
    home,
    log_for_company,
    log_for_contact,
    timeline_context,
)

__all__ = [
    "AuthedRequest",
    "company_timeline",
    "contact_timeline",
    "delete",
    "edit",
    "home",
    "log_for_company",
    "log_for_contact",
    "timeline_context",
]
