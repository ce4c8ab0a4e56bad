"""Consent per contact, purpose and channel, kept as history; every sender checks it."""
