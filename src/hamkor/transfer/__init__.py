"""A whole install's data out as zipped JSON lines and back into an empty install."""
