"""Outbound messages through one outbox, and inbound email, SMS and Telegram."""
