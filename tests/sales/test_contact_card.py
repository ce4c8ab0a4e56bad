import datetime

import pytest
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory
from tests.sales.factories import OrderFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_contact_page_offers_a_new_order_for_this_customer(client):
    user = UserFactory(role="manager")
    contact = ContactFactory(owner=user)
    client.force_login(user)

    page = client.get(f"/contacts/{contact.pk}/").content.decode()

    assert f"/sales/orders/new/?contact={contact.pk}" in page


def test_contact_page_shows_purchase_insight_panel(client):
    user = UserFactory(role="manager")
    contact = ContactFactory(owner=user)
    cake = ProductFactory(name="Medovik")
    for weeks_ago in (6, 4, 2):
        OrderFactory(
            contact=contact,
            status="paid",
            lines=[(cake, 1)],
            ordered_at=timezone.now() - datetime.timedelta(weeks=weeks_ago),
        )
    client.force_login(user)

    page = client.get(f"/contacts/{contact.pk}/").content.decode()

    assert "Medovik" in page
    assert "Orders" in page


def test_new_order_for_loyal_customer_reminds_to_offer_the_discount(client):
    user = UserFactory(role="manager")
    loyal = ContactFactory(owner=user, first_name="Aziza", stage="loyal")
    newcomer = ContactFactory(owner=user, stage="lead")
    client.force_login(user)

    loyal_page = client.get(f"/sales/orders/new/?contact={loyal.pk}").content.decode()
    newcomer_page = client.get(f"/sales/orders/new/?contact={newcomer.pk}").content.decode()

    assert "Aziza is a loyal customer: offer a 10% discount." in loyal_page
    assert "loyal customer" not in newcomer_page
