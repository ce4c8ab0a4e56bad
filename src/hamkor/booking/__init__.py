"""Staff availability and the public appointment booking page."""
