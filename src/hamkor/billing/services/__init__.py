"""Billing writes, one module per area; import from the area module."""
