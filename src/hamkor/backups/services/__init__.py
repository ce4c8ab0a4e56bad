"""Backups: `create_backup`, `verify_backup`, `restore_backup` and pruning of old archives."""

from hamkor.backups.services.creating import (
    BackupResult,
    create_backup,
    list_backups,
    prune_backups,
)
from hamkor.backups.services.restoring import (
    RestoreResult,
    VerifyResult,
    filled_tables,
    restore_backup,
    verify_backup,
)

__all__ = [
    "BackupResult",
    "RestoreResult",
    "VerifyResult",
    "create_backup",
    "filled_tables",
    "list_backups",
    "prune_backups",
    "restore_backup",
    "verify_backup",
]
