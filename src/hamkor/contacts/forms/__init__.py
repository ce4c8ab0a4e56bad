"""Forms for contacts and companies: they parse what was typed; services validate and save.

One module per screen; every public name is re-exported here, so callers keep importing from
``hamkor.contacts.forms``.
"""

from __future__ import annotations

from hamkor.contacts.forms.common import (
    CUSTOM_PREFIX,
    CustomFieldsMixin,
    apply_service_errors,
    choice_field,
    conflict_changes,
    model_choice_field,
    split_tags,
    version_field,
    with_current_version,
)
from hamkor.contacts.forms.companies import CompanyForm
from hamkor.contacts.forms.consent import ConsentForm
from hamkor.contacts.forms.contacts import ContactForm, ContactRows, DateRow, EmailRow, PhoneRow
from hamkor.contacts.forms.filters import (
    COMPANY_SORT_CHOICES,
    SORT_CHOICES,
    CompanyFilterForm,
    ContactFilterForm,
)

__all__ = [
    "COMPANY_SORT_CHOICES",
    "CUSTOM_PREFIX",
    "SORT_CHOICES",
    "CompanyFilterForm",
    "CompanyForm",
    "ConsentForm",
    "ContactFilterForm",
    "ContactForm",
    "ContactRows",
    "CustomFieldsMixin",
    "DateRow",
    "EmailRow",
    "PhoneRow",
    "apply_service_errors",
    "choice_field",
    "conflict_changes",
    "model_choice_field",
    "split_tags",
    "version_field",
    "with_current_version",
]
