"""Consent history, data-subject requests (export, erasure) and retention policies."""
