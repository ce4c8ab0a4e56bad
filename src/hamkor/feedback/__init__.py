"""Announcements with comments and reactions, the suggestions board, NPS surveys."""
