"""Browser tests; their fixtures (`browser`, `page`) are in tests/browser_fixtures.py."""
