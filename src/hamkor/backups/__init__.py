"""Consistent backups of database and media, restore and verification."""
