import typing

import pytest

from hamkor.accounts.models import Role
from hamkor.sales.models import Product, Unit
from hamkor.sales.schemas_products import ProductOrderingValue, UnitValue
from hamkor.sales.selectors.products import PRODUCT_ORDERINGS
from tests.accounts.factories import UserFactory
from tests.api.helpers import api_client, send
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/products"


@pytest.fixture
def manager():
    return api_client(UserFactory(role=Role.MANAGER))


@pytest.fixture
def seller():
    return api_client(UserFactory(role=Role.SALES))


def payload(**overrides):
    data = {
        "sku": "CAKE-NAP",
        "name": "Napoleon cake",
        "name_translations": {"ru": "Торт Наполеон", "uz": "Napoleon torti"},
        "category": "Cakes",
        "unit": "piece",
        "price": "150000.00",
        "currency": "uzs",
    }
    data.update(overrides)
    return data


def test_schema_literals_match_the_models():
    assert set(typing.get_args(UnitValue)) == set(Unit.values)
    assert set(typing.get_args(ProductOrderingValue)) == set(PRODUCT_ORDERINGS)


def test_products_api_lists_with_count_and_paging(seller):
    ProductFactory(name="Apple pie")
    ProductFactory(name="Brownie")
    ProductFactory(name="Cheesecake")

    response = seller.get(PRODUCTS, {"limit": 2, "offset": 1})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [item["name"] for item in body["items"]] == ["Brownie", "Cheesecake"]


def test_products_api_filters_by_search_category_and_active(seller):
    ProductFactory(name="Napoleon", sku="CAKE-1", category="Cakes")
    ProductFactory(name="Honey cake", sku="CAKE-2", category="Cakes", is_active=False)
    ProductFactory(name="Croissant", sku="BREAD-1", category="Bakery")

    response = seller.get(PRODUCTS, {"q": "cake", "category": "cakes", "active": "true"})

    assert [item["sku"] for item in response.json()["items"]] == ["CAKE-1"]


def test_products_api_shows_money_as_decimal_string_and_name_in_request_language(seller):
    product = ProductFactory(
        name="Napoleon cake", name_translations={"ru": "Торт Наполеон"}, price="150000.5"
    )

    body = seller.get(f"{PRODUCTS}/{product.pk}", headers={"Accept-Language": "ru"}).json()

    assert body["id"] == product.pk
    assert body["price"] == "150000.50"
    assert body["currency"] == "UZS"
    assert body["display_name"] == "Торт Наполеон"


def test_products_api_refuses_unknown_query_parameters(seller):
    response = seller.get(PRODUCTS, {"serach": "x"})

    assert response.status_code == 422
    assert "serach" in response.json()["detail"]


def test_products_api_manager_creates_product(manager):
    response = send(manager, "post", PRODUCTS, payload())

    assert response.status_code == 201
    body = response.json()
    assert body["price"] == "150000.00"
    assert body["currency"] == "UZS"
    assert body["name_translations"] == {"ru": "Торт Наполеон", "uz": "Napoleon torti"}
    assert Product.objects.get(pk=body["id"]).sku == "CAKE-NAP"


def test_products_api_sales_user_cannot_create(seller):
    response = send(seller, "post", PRODUCTS, payload())

    assert response.status_code == 403
    assert "administrators and managers" in response.json()["detail"]
    assert not Product.objects.exists()


def test_products_api_sales_user_cannot_update_or_deactivate(seller):
    product = ProductFactory()

    patched = send(seller, "patch", f"{PRODUCTS}/{product.pk}", {"price": "1"})
    deleted = seller.delete(f"{PRODUCTS}/{product.pk}")

    assert (patched.status_code, deleted.status_code) == (403, 403)
    product.refresh_from_db()
    assert product.is_active


def test_products_api_requires_a_token(client):
    assert client.get(PRODUCTS).status_code == 401


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"price": "-1"}, "price"),
        ({"price": "abc"}, "price"),
        ({"currency": "XYZ"}, "currency"),
        ({"sku": ""}, "sku"),
        ({"unit": "bucket"}, "unit"),
    ],
)
def test_products_api_create_bad_input_is_422_with_detail(manager, overrides, field):
    response = send(manager, "post", PRODUCTS, payload(**overrides))

    assert response.status_code == 422
    assert field in response.json()["detail"]
    assert not Product.objects.exists()


def test_products_api_duplicate_sku_says_so(manager):
    ProductFactory(sku="CAKE-NAP")

    response = send(manager, "post", PRODUCTS, payload(sku="cake-nap"))

    assert response.status_code == 422
    assert "already has the SKU" in response.json()["detail"]


def test_products_api_update_changes_only_what_was_sent(manager):
    product = ProductFactory(name="Napoleon", price="100.00", currency="USD")

    response = send(manager, "patch", f"{PRODUCTS}/{product.pk}", {"price": 120.5})

    assert response.status_code == 200
    assert response.json()["price"] == "120.50"
    assert response.json()["name"] == "Napoleon"
    assert response.json()["currency"] == "USD"


def test_products_api_update_refuses_a_list_body(manager):
    product = ProductFactory()

    response = send(manager, "patch", f"{PRODUCTS}/{product.pk}", ["price"])

    assert response.status_code == 422


def test_products_api_deactivate(manager):
    product = ProductFactory()

    response = manager.delete(f"{PRODUCTS}/{product.pk}")

    assert response.status_code == 204
    product.refresh_from_db()
    assert not product.is_active


def test_products_api_missing_product_is_404(seller):
    response = seller.get(f"{PRODUCTS}/999999")

    assert response.status_code == 404
    assert response.json()["detail"]
