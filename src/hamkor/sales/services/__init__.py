"""Sales writes and use cases, one module per area; import from the area module."""
