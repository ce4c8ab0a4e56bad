"""Import use cases; every public name is re-exported here."""

from __future__ import annotations

from hamkor.imports.services.engine import Counts, RunResult, run_file
from hamkor.imports.services.fields import (
    ENTITY_FIELDS,
    check_mapping,
    fields_for,
    guess_mapping,
    is_google_contacts,
)
from hamkor.imports.services.jobs import (
    can_import,
    create_job,
    current_progress,
    preview,
    queue_run,
    run_job,
    set_options,
)

__all__ = [
    "ENTITY_FIELDS",
    "Counts",
    "RunResult",
    "can_import",
    "check_mapping",
    "create_job",
    "current_progress",
    "fields_for",
    "guess_mapping",
    "is_google_contacts",
    "preview",
    "queue_run",
    "run_file",
    "run_job",
    "set_options",
]
