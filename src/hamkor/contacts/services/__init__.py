"""Writes and use cases for companies and contacts.

The code lives in one module per use case; every public name is re-exported here, so callers
keep importing from ``hamkor.contacts.services``.
"""

from __future__ import annotations

from hamkor.contacts.services.bulk import (
    BULK_BATCH_SIZE,
    BULK_MAX_ROW_ERRORS,
    bulk_create_contacts,
)
from hamkor.contacts.services.companies import (
    archive_company,
    create_company,
    refresh_company_search,
    update_company,
)
from hamkor.contacts.services.consent import record_consent
from hamkor.contacts.services.contacts import (
    archive_contact,
    create_contact,
    refresh_contact_search,
    refresh_contacts_search,
    update_contact,
)
from hamkor.contacts.services.inputs import (
    COMPANY_FIELDS,
    CONTACT_FIELDS,
    ContactInput,
    DateInput,
    EmailInput,
    PhoneInput,
)
from hamkor.contacts.services.merge import merge_contacts, merge_many_contacts
from hamkor.contacts.services.reference_data import define_custom_field, ensure_sources
from hamkor.contacts.services.tags import get_or_create_tags

__all__ = [
    "BULK_BATCH_SIZE",
    "BULK_MAX_ROW_ERRORS",
    "COMPANY_FIELDS",
    "CONTACT_FIELDS",
    "ContactInput",
    "DateInput",
    "EmailInput",
    "PhoneInput",
    "archive_company",
    "archive_contact",
    "bulk_create_contacts",
    "create_company",
    "create_contact",
    "define_custom_field",
    "ensure_sources",
    "get_or_create_tags",
    "merge_contacts",
    "merge_many_contacts",
    "record_consent",
    "refresh_company_search",
    "refresh_contact_search",
    "refresh_contacts_search",
    "update_company",
    "update_contact",
]
