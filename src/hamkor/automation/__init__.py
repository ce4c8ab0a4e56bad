"""Rules that act on triggers, and signed outgoing webhooks."""
