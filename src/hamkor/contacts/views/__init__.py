"""Web views for contacts, companies and duplicates."""

from hamkor.contacts.views.companies import (
    company_archive,
    company_create,
    company_detail,
    company_edit,
    company_list,
)
from hamkor.contacts.views.contacts import (
    contact_archive,
    contact_create,
    contact_detail,
    contact_duplicate_hint,
    contact_edit,
    contact_list,
    contact_panel,
    form_row,
    record_consent_view,
    similar,
)
from hamkor.contacts.views.duplicates import duplicates, merge, merge_review

__all__ = [
    "company_archive",
    "company_create",
    "company_detail",
    "company_edit",
    "company_list",
    "contact_archive",
    "contact_create",
    "contact_detail",
    "contact_duplicate_hint",
    "contact_edit",
    "contact_list",
    "contact_panel",
    "duplicates",
    "form_row",
    "merge",
    "merge_review",
    "record_consent_view",
    "similar",
]
