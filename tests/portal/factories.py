"""Customers for portal tests, and helpers to reach the code a customer was sent."""

import re

from hamkor.messaging.models import OutboundMessage
from tests.contacts.factories import ContactFactory

CODE = re.compile(r"\b(\d{6})\b")


class CustomerFactory(ContactFactory):
    """A contact who can log in to the portal: a unique email and an Uzbek mobile number."""

    first_name = "Aziza"
    language = "en"


def sent_code(address: str) -> str:
    """The code in the newest outbox message to ``address``."""
    message = OutboundMessage.objects.filter(to_address=address).order_by("-id").first()
    assert message is not None, f"no message to {address}"
    match = CODE.search(message.body)
    assert match is not None, message.body
    return match.group(1)
