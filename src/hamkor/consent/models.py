"""Models of hamkor.consent."""
