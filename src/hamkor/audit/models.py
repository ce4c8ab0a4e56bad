"""Models of hamkor.audit."""
