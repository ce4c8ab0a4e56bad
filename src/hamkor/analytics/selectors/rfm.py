"""Reads of RFM scores, scoped to the contacts the viewer may see."""

from __future__ import annotations

from hamkor.accounts.models import User
from hamkor.analytics.models import RfmScore
from hamkor.contacts.models import Contact
from hamkor.contacts.selectors import visible


def get_contact_rfm(*, viewer: User, contact_id: int) -> RfmScore | None:
    """The contact's RFM score, None when they have no counted orders.

    Raises Contact.DoesNotExist when the viewer may not see the contact (shown as 404).
    """
    if not visible(Contact.objects.filter(pk=contact_id), viewer).exists():
        raise Contact.DoesNotExist
    return RfmScore.objects.filter(contact_id=contact_id).first()
