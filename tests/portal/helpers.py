"""Sign a test client in to the portal as a contact, without the one-time-code round trip."""

from __future__ import annotations

from django.test import Client

from hamkor.contacts.models import Contact
from hamkor.portal.session import SESSION_KEY


def portal_log_in(client: Client, contact: Contact) -> Client:
    session = client.session
    session[SESSION_KEY] = contact.pk
    session.save()
    return client
