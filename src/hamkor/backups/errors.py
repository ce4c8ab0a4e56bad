"""Errors a backup, restore or verification reports to the person running it."""

from __future__ import annotations


class BackupError(Exception):
    """A backup, restore or check that cannot go on; the message says why and what to do."""
