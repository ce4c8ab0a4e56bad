"""The card's purchase insight reads a fixed number of queries, however long the history."""

import pytest

from hamkor.sales.selectors.insight import get_contact_insight
from hamkor.sales.services.insight import recompute_product_pairs, recompute_purchase_cycles
from tests.contacts.factories import ContactFactory
from tests.sales.factories import OrderFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_get_contact_insight_queries_do_not_grow_with_history(django_assert_max_num_queries):
    products = [ProductFactory() for _ in range(8)]
    contact = ContactFactory()
    for index in range(12):
        OrderFactory(
            contact=contact, lines=[(products[index % 8], 1), (products[(index + 3) % 8], 1)]
        )
    OrderFactory(lines=[(products[0], 1), (products[7], 2)])
    recompute_product_pairs()
    recompute_purchase_cycles()

    with django_assert_max_num_queries(5):
        insight = get_contact_insight(contact=contact)

    # Every product was bought; the other customer's basket adds nothing new to recommend.
    assert insight.summary.orders == 12
    assert len(insight.summary.favourites) == 3
    assert insight.recommendations == []
