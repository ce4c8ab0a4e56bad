"""Segments, campaigns and attribution, the marketing effectiveness report, bulk messages."""
