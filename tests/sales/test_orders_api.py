import contextlib
import json
import threading
import typing
import urllib.error
import urllib.request
from decimal import Decimal

import pytest
from django.db import connection

from hamkor.accounts.models import Role
from hamkor.accounts.services import issue_token
from hamkor.contacts.models import Contact
from hamkor.sales import schemas_orders
from hamkor.sales.models import Order, OrderChannel, OrderOrigin, OrderStatus
from hamkor.sales.services.orders import INITIAL_STATUSES
from tests.accounts.factories import TeamFactory, UserFactory
from tests.api.helpers import api_client, send
from tests.contacts.factories import ContactFactory
from tests.sales.factories import OrderFactory, ProductFactory

ORDERS = "/api/v1/orders"


@pytest.fixture
def seller(db):
    return UserFactory(role=Role.SALES, team=TeamFactory(name="Team A"))


@pytest.fixture
def client(seller):
    return api_client(seller)


@pytest.fixture
def shop(db):
    """A web shop's user: a manager, so customers are matched among all contacts."""
    return UserFactory(username="webshop", role=Role.MANAGER, team=None)


def web_order(**customer):
    product = ProductFactory(sku="CAKE-1", price=Decimal("105000.00"), currency="UZS")
    return {
        "customer": customer,
        "currency": "UZS",
        "lines": [{"product_id": product.pk, "quantity": 3}],
    }


@pytest.mark.parametrize(
    ("literal", "choices"),
    [
        (schemas_orders.OrderStatusValue, OrderStatus.values),
        (schemas_orders.OrderChannelValue, OrderChannel.values),
        (schemas_orders.OrderOriginValue, OrderOrigin.values),
        (schemas_orders.NewOrderStatusValue, [str(s) for s in INITIAL_STATUSES]),
    ],
)
def test_schema_choices_match_model_choices(literal, choices):
    assert sorted(typing.get_args(literal)) == sorted(choices)


def test_create_order_for_contact_returns_money_as_strings(client, seller):
    contact = ContactFactory(owner=seller, team=seller.team)
    cake = ProductFactory(price=Decimal("105000.00"), currency="UZS")

    response = send(
        client,
        "post",
        ORDERS,
        {
            "contact_id": contact.pk,
            "lines": [
                {"product_id": cake.pk, "quantity": "3"},
                {
                    "description": "Candles",
                    "quantity": 2,
                    "unit_price": "7500",
                    "discount_percent": 10,
                },
            ],
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["total"] == "328500.00"
    assert body["currency"] == "UZS"
    assert [line["line_total"] for line in body["lines"]] == ["315000.00", "13500.00"]
    assert body["status"] == "confirmed"
    assert body["origin"] == "staff"


def test_create_order_bad_input_is_422_with_detail(client, seller):
    contact = ContactFactory(owner=seller, team=seller.team)
    usd = ProductFactory(price=Decimal("20"), currency="USD")

    bad_quantity = send(
        client,
        "post",
        ORDERS,
        {"contact_id": contact.pk, "lines": [{"product_id": usd.pk, "quantity": 0}]},
    )
    wrong_currency = send(
        client,
        "post",
        ORDERS,
        {
            "contact_id": contact.pk,
            "currency": "UZS",
            "lines": [{"product_id": usd.pk, "quantity": 1}],
        },
    )
    no_customer = send(client, "post", ORDERS, {"lines": [{"product_id": usd.pk, "quantity": 1}]})
    unknown_product = send(
        client,
        "post",
        ORDERS,
        {"contact_id": contact.pk, "lines": [{"product_id": 999999, "quantity": 1}]},
    )

    assert bad_quantity.status_code == 422
    assert "quantity" in bad_quantity.json()["detail"]
    assert wrong_currency.status_code == 422
    assert "enter the unit price in UZS" in wrong_currency.json()["detail"]
    assert no_customer.status_code == 422
    assert unknown_product.status_code == 422
    assert "no active product" in unknown_product.json()["detail"]


def test_orders_of_another_team_are_not_found(client, seller):
    other = UserFactory(role=Role.SALES, team=TeamFactory(name="Team B"))
    theirs = OrderFactory(contact=ContactFactory(owner=other, team=other.team))
    mine = OrderFactory(contact=ContactFactory(owner=seller, team=seller.team))

    listed = client.get(ORDERS)
    fetched = client.get(f"{ORDERS}/{theirs.pk}")
    cancelled = client.post(f"{ORDERS}/{theirs.pk}/cancel")

    assert [item["id"] for item in listed.json()["items"]] == [mine.pk]
    assert listed.json()["count"] == 1
    assert fetched.status_code == 404
    assert cancelled.status_code == 404


def test_list_orders_filters_by_status_and_contact(client, seller):
    contact = ContactFactory(owner=seller, team=seller.team)
    paid = OrderFactory(contact=contact, status="paid")
    OrderFactory(contact=contact, status="draft")
    OrderFactory(contact=ContactFactory(owner=seller, team=seller.team), status="paid")

    response = client.get(ORDERS, {"status": "paid", "contact_id": contact.pk})
    unknown = client.get(ORDERS, {"state": "paid"})

    assert [item["id"] for item in response.json()["items"]] == [paid.pk]
    assert unknown.status_code == 422


def test_patch_order_changes_lines_and_status(client, seller):
    order = OrderFactory(contact=ContactFactory(owner=seller, team=seller.team), status="confirmed")

    response = send(
        client,
        "patch",
        f"{ORDERS}/{order.pk}",
        {
            "lines": [{"description": "Cake", "quantity": 1, "unit_price": "99000"}],
            "status": "paid",
        },
    )
    refused = send(client, "patch", f"{ORDERS}/{order.pk}", {"status": "draft"})

    assert response.status_code == 200, response.content
    assert response.json()["total"] == "99000.00"
    assert response.json()["status"] == "paid"
    assert refused.status_code == 422
    assert "cannot become" in refused.json()["detail"]


def test_cancel_order(client, seller):
    order = OrderFactory(contact=ContactFactory(owner=seller, team=seller.team))

    response = client.post(f"{ORDERS}/{order.pk}/cancel")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


# --- web shop ----------------------------------------------------------------------------


def test_web_order_matches_contact_by_phone_in_another_format(shop):
    contact = ContactFactory()
    contact.phones.create(number="+998901234567", is_primary=True)

    response = send(api_client(shop), "post", ORDERS, web_order(phone="90 123-45-67"))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["contact"]["id"] == contact.pk
    assert body["origin"] == "customer"
    assert body["channel"] == "web_shop"
    assert body["total"] == "315000.00"


def test_web_order_matches_contact_by_email_in_any_case(shop):
    contact = ContactFactory()
    contact.emails.create(email="aziza@example.uz", is_primary=True)

    response = send(api_client(shop), "post", ORDERS, web_order(email="Aziza@Example.UZ"))

    assert response.json()["contact"]["id"] == contact.pk


def test_web_order_creates_new_customer(shop):
    response = send(
        api_client(shop),
        "post",
        ORDERS,
        web_order(phone="+998 93 555 11 22", email="new@example.uz", first_name="Aziza"),
    )

    contact = Contact.objects.get(pk=response.json()["contact"]["id"])
    assert contact.first_name == "Aziza"
    assert [p.number for p in contact.phones.all()] == ["+998935551122"]
    assert [e.email for e in contact.emails.all()] == ["new@example.uz"]


def test_web_order_needs_phone_or_email(shop):
    response = send(api_client(shop), "post", ORDERS, web_order(first_name="Nobody"))

    assert response.status_code == 422
    assert "phone or email" in response.json()["detail"]


def test_idempotency_key_returns_first_order_on_retry(shop):
    client = api_client(shop)
    body = web_order(phone="901234567")

    first = client.post(
        ORDERS,
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": "abc-1"},
    )
    retry = client.post(
        ORDERS,
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": "abc-1"},
    )

    assert first.status_code == 201
    assert retry.status_code == 200
    assert retry.json()["id"] == first.json()["id"]
    assert Order.objects.count() == 1
    assert Contact.objects.count() == 1


def test_idempotency_key_with_another_body_is_a_conflict(shop):
    client = api_client(shop)
    body = web_order(phone="901234567")
    other = {**body, "notes": "Different"}

    client.post(
        ORDERS,
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": "abc-2"},
    )
    conflict = client.post(
        ORDERS,
        json.dumps(other),
        content_type="application/json",
        headers={"Idempotency-Key": "abc-2"},
    )

    assert conflict.status_code == 409
    assert "Idempotency-Key" in conflict.json()["detail"]
    assert Order.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_create_one_order(live_server, shop):
    secret = issue_token(user=shop, name="shop").secret
    data = json.dumps(web_order(phone="+998 90 777 66 55", first_name="Race")).encode()
    statuses: list[int] = []
    ids: list[int] = []
    barrier = threading.Barrier(8)
    # The live server shares the test's in-memory SQLite connection between its threads, so
    # there requests must take turns; on PostgreSQL (CI) they really race for the key.
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    turns = threading.Lock() if in_memory else contextlib.nullcontext()

    def post() -> None:
        request = urllib.request.Request(  # noqa: S310
            f"{live_server.url}{ORDERS}",
            data=data,
            method="POST",
            headers={
                "Authorization": f"Bearer {secret}",
                "Content-Type": "application/json",
                "Idempotency-Key": "race-key",
            },
        )
        barrier.wait()
        try:
            with turns, urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                statuses.append(response.status)
                ids.append(json.loads(response.read())["id"])
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Order.objects.count() == 1
    assert sorted(statuses) == [200] * 7 + [201]
    assert set(ids) == {Order.objects.get().pk}
    assert Contact.objects.filter(first_name="Race").count() == 1
