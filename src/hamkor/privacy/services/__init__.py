"""Writes of the privacy app: a person's export and erasure, retention policies."""

from hamkor.privacy.services.erasure import ErasureResult, erase_contact, placeholder_name
from hamkor.privacy.services.exporting import (
    export_contact,
    export_folder,
    export_path,
    remove_old_exports,
)
from hamkor.privacy.services.retention import (
    DryRun,
    dry_run_policy,
    get_policy,
    review_policy,
    run_due_policies,
    run_policy,
    stale_leads,
    update_policy,
)

__all__ = [
    "DryRun",
    "ErasureResult",
    "dry_run_policy",
    "erase_contact",
    "export_contact",
    "export_folder",
    "export_path",
    "get_policy",
    "placeholder_name",
    "remove_old_exports",
    "review_policy",
    "run_due_policies",
    "run_policy",
    "stale_leads",
    "update_policy",
]
