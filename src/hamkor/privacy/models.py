"""Models of hamkor.privacy."""
