"""Writes of the transfer app: the full export and the restore into an empty install."""

from hamkor.transfer.services.exporting import FORMAT_NAME, FORMAT_VERSION, export_install
from hamkor.transfer.services.restoring import RestoreResult, restore_install

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "RestoreResult",
    "export_install",
    "restore_install",
]
