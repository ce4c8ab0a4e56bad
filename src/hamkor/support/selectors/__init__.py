"""Reads of the support app, scoped to the viewer (staff) or the portal contact."""
