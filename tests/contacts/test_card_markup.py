import collections
import re

import pytest

from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_contact_card_gives_every_element_its_own_id(client):
    # Several panels (log an interaction, send a message, plan an activity) share field
    # names; a repeated id ties a label to another panel's input, so screen readers and
    # clicks on the label land in the wrong form.
    client.force_login(UserFactory(role="admin"))
    contact = ContactFactory()

    html = client.get(f"/contacts/{contact.pk}/").content.decode()

    ids = collections.Counter(re.findall(r'\bid="([^"]+)"', html))
    assert [name for name, count in ids.items() if count > 1] == []
