"""Writes of the projects app; one module per area, import from the area module."""
