"""Writes and use cases of web forms; one module per use case, names re-exported here."""

from __future__ import annotations

from hamkor.webforms.services.design import (
    STANDARD_FIELDS,
    WebFormInput,
    available_fields,
    create_form,
    update_form,
)
from hamkor.webforms.services.intake import (
    HONEYPOT_FIELD,
    MAX_BODY_BYTES,
    MAX_FIELD_CHARS,
    UTM_KEYS,
    CleanSubmission,
    clean_submission,
    store_submission,
)
from hamkor.webforms.services.processing import drain_submissions, process_submission
from hamkor.webforms.services.ratelimit import forget_old_counters, hit_rate_limit

__all__ = [
    "HONEYPOT_FIELD",
    "MAX_BODY_BYTES",
    "MAX_FIELD_CHARS",
    "STANDARD_FIELDS",
    "UTM_KEYS",
    "CleanSubmission",
    "WebFormInput",
    "available_fields",
    "clean_submission",
    "create_form",
    "drain_submissions",
    "forget_old_counters",
    "hit_rate_limit",
    "process_submission",
    "store_submission",
    "update_form",
]
