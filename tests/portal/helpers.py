"""Portal test helpers: sign a client in without the one-time-code round trip, and the
profile form as the page posts it."""

from __future__ import annotations

from typing import Any

from django.test import Client

from hamkor.contacts.models import Contact
from hamkor.portal.session import SESSION_KEY


def portal_log_in(client: Client, contact: Contact) -> Client:
    session = client.session
    session[SESSION_KEY] = contact.pk
    session.save()
    return client


def profile_form(
    *, phone: str = "+998901234567", email: str = "aziza@example.com", **changes: Any
) -> dict[str, Any]:
    """The profile page's fields for Aziza, as posted; ``None`` leaves a field out."""
    data: dict[str, Any] = {
        "first_name": "Aziza",
        "last_name": "Karimova",
        "middle_name": "",
        "language": "en",
        "time_zone": "Asia/Tashkent",
        "phone_0": phone,
        "phone_1": "",
        "email_0": email,
        "email_1": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
