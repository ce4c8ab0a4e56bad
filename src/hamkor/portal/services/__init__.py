"""Writes of the portal: one-time-code login and the customer's own profile."""

from __future__ import annotations

from hamkor.portal.services.login import (
    CODE_LIFETIME,
    MAX_CODES_PER_ADDRESS,
    MAX_CODES_PER_IP,
    MAX_WRONG_ATTEMPTS,
    RATE_WINDOW,
    LoginAddress,
    parse_login_address,
    purge_login_codes,
    request_login_code,
    verify_login_code,
)
from hamkor.portal.services.profile import ProfileInput, set_portal_language, update_profile

__all__ = [
    "CODE_LIFETIME",
    "MAX_CODES_PER_ADDRESS",
    "MAX_CODES_PER_IP",
    "MAX_WRONG_ATTEMPTS",
    "RATE_WINDOW",
    "LoginAddress",
    "ProfileInput",
    "parse_login_address",
    "purge_login_codes",
    "request_login_code",
    "set_portal_language",
    "update_profile",
    "verify_login_code",
]
