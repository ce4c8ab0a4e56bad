"""A new order costs the same number of statements whatever its number of lines."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hamkor.accounts.models import Role
from hamkor.sales.models import Order
from tests.accounts.factories import TeamFactory, UserFactory
from tests.api.helpers import api_client
from tests.contacts.factories import ContactFactory
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.django_db


def post_order(client, contact, products):
    body = {
        "contact_id": contact.pk,
        "lines": [{"product_id": p.pk, "quantity": "2"} for p in products],
    }
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/api/v1/orders", data=json.dumps(body), content_type="application/json"
        )
    assert response.status_code == 201, response.content
    return response.json(), len(queries.captured_queries)


def test_create_order_statements_do_not_grow_with_lines():
    seller = UserFactory(role=Role.SALES, team=TeamFactory(name="Shop"))
    contact = ContactFactory(owner=seller)
    products = [ProductFactory(price=Decimal("1000.00")) for _ in range(6)]
    client = api_client(seller)
    post_order(client, contact, products[:1])

    _one, one_line = post_order(client, contact, products[:1])
    six, six_lines = post_order(client, contact, products)

    assert six_lines == one_line
    assert [line["product"]["id"] for line in six["lines"]] == [p.pk for p in products]
    assert six["total"] == "12000.00"
    assert Order.objects.get(pk=six["id"]).lines.count() == 6


def test_create_order_refuses_a_contact_the_seller_cannot_see():
    seller = UserFactory(role=Role.SALES, team=TeamFactory(name="Shop"))
    stranger = ContactFactory(owner=UserFactory(team=TeamFactory(name="Other")))
    client = api_client(seller)

    response = client.post(
        "/api/v1/orders",
        data=json.dumps(
            {
                "contact_id": stranger.pk,
                "lines": [{"product_id": ProductFactory().pk, "quantity": 1}],
            }
        ),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert "contact_id" in response.content.decode()
    assert not Order.objects.filter(contact=stranger).exists()
