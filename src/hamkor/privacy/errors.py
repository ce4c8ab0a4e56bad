"""Errors of hamkor.privacy: their message says what to do, in the user's language."""


class PrivacyError(Exception):
    """A data-subject request or retention run that cannot go ahead as asked."""
