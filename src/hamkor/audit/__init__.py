"""Append-only audit trail: who did what, when, from where, with field-level before/after values."""
