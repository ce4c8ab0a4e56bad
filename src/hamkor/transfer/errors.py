"""Errors the export and the restore report to the person running them."""

from __future__ import annotations


class TransferError(Exception):
    """An export or restore that cannot go on; the message says why, in the user's language."""
