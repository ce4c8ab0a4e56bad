"""Models of hamkor.backups."""
