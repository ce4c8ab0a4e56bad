"""Billing reads, one module per area; import from the area module."""
