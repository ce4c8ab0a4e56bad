from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from hamkor.accounts.models import Role
from hamkor.sales.models import LoyaltyRule, Product
from tests.accounts.factories import UserFactory
from tests.sales.factories import PipelineFactory, ProductFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def seller(client):
    user = UserFactory(role=Role.SALES)
    client.force_login(user)
    return user


@pytest.fixture
def manager(client):
    user = UserFactory(role=Role.MANAGER)
    client.force_login(user)
    return user


def product_form(**overrides):
    data = {
        "sku": "CAKE-NAP",
        "name": "Napoleon cake",
        "name_ru": "Торт Наполеон",
        "name_uz": "",
        "name_ky": "",
        "category": "Cakes",
        "unit": "piece",
        "price": "150000",
        "currency": "UZS",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_product_list_requires_login(client):
    response = client.get(reverse("sales:product_list"))

    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_product_list_shows_price_in_users_language(client, seller):
    ProductFactory(name="Napoleon", price=Decimal("1250000"), currency="UZS")

    response = client.get(reverse("sales:product_list"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Napoleon" in content
    assert "UZS" in content and "1,250,000" in content
    assert reverse("sales:product_create") not in content


def test_product_list_uses_name_and_money_of_the_active_language(client, seller):
    ProductFactory(
        name="Napoleon",
        name_translations={"ru": "Наполеон"},
        price=Decimal("12500"),
        currency="KGS",
    )

    with translation.override("ru"):
        response = client.get(reverse("sales:product_list"), HTTP_ACCEPT_LANGUAGE="ru")

    content = response.content.decode()
    assert "Наполеон" in content
    assert "12\xa0500,00" in content


def test_product_list_search_as_you_type_returns_the_results_fragment(client, seller):
    ProductFactory(name="Napoleon", sku="CAKE-1")
    ProductFactory(name="Croissant", sku="BREAD-1")

    response = client.get(reverse("sales:product_list"), {"q": "bread"}, **HTMX)

    content = response.content.decode()
    assert "Croissant" in content
    assert "Napoleon" not in content
    assert "<html" not in content


def test_product_list_hides_inactive_until_asked(client, seller):
    ProductFactory(name="Old cake", is_active=False)

    default = client.get(reverse("sales:product_list")).content.decode()
    inactive = client.get(reverse("sales:product_list"), {"status": "inactive"}).content.decode()

    assert "Old cake" not in default
    assert "Old cake" in inactive


def test_product_list_filters_by_category(client, seller):
    ProductFactory(name="Napoleon", category="Cakes")
    ProductFactory(name="Croissant", category="Bakery")

    content = client.get(reverse("sales:product_list"), {"category": "Cakes"}).content.decode()

    assert "Napoleon" in content
    assert "Croissant" not in content


def test_product_create_by_manager(client, manager):
    response = client.post(reverse("sales:product_create"), product_form())

    assert response.status_code == 302
    product = Product.objects.get(sku="CAKE-NAP")
    assert product.price == Decimal("150000.00")
    assert product.name_translations == {"ru": "Торт Наполеон"}


def test_product_create_keeps_input_and_shows_error_beside_field(client, manager):
    ProductFactory(sku="CAKE-NAP")

    response = client.post(reverse("sales:product_create"), product_form(currency="XYZ"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "is not a currency code" in content
    assert "already has the SKU" in content
    assert 'value="Торт Наполеон"' in content
    assert Product.objects.count() == 1


def test_product_create_refuses_negative_price(client, manager):
    response = client.post(reverse("sales:product_create"), product_form(price="-5"))

    assert response.status_code == 200
    assert not Product.objects.exists()


def test_product_create_is_forbidden_for_sales(client, seller):
    assert client.get(reverse("sales:product_create")).status_code == 403
    assert client.post(reverse("sales:product_create"), product_form()).status_code == 403
    assert not Product.objects.exists()


def test_product_edit_shows_current_values_and_saves(client, manager):
    product = ProductFactory(name="Napoleon", name_translations={"uz": "Napoleon torti"})

    page = client.get(reverse("sales:product_edit", args=[product.pk])).content.decode()
    response = client.post(
        reverse("sales:product_edit", args=[product.pk]),
        product_form(sku=product.sku, name="Napoleon XL", price="200000"),
    )

    assert 'value="Napoleon torti"' in page
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.name, product.price) == ("Napoleon XL", Decimal("200000.00"))


def test_product_edit_unknown_product_is_404(client, manager):
    assert client.get(reverse("sales:product_edit", args=[999999])).status_code == 404


def test_product_deactivate(client, manager):
    product = ProductFactory()

    response = client.post(reverse("sales:product_deactivate", args=[product.pk]))

    assert response.status_code == 302
    product.refresh_from_db()
    assert not product.is_active


def test_product_deactivate_is_forbidden_for_sales(client, seller):
    product = ProductFactory()

    response = client.post(reverse("sales:product_deactivate", args=[product.pk]))

    assert response.status_code == 403
    product.refresh_from_db()
    assert product.is_active


# --- admin --------------------------------------------------------------------------------


@pytest.fixture
def admin_user(client):
    user = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "url",
    [
        "/admin/sales/product/",
        "/admin/sales/product/add/",
        "/admin/sales/paymenttype/",
        "/admin/sales/pipeline/",
        "/admin/sales/loyaltyrule/",
        "/admin/core/exchangerate/",
    ],
)
def test_sales_admin_pages_open(client, admin_user, url):
    ProductFactory()

    assert client.get(url).status_code == 200


def test_pipeline_admin_shows_stages_inline(client, admin_user):
    pipeline = PipelineFactory(name="Agency")

    content = client.get(f"/admin/sales/pipeline/{pipeline.pk}/change/").content.decode()

    assert "Proposal" in content


def test_loyalty_rule_admin_opens_the_rule(client, admin_user):
    rule = LoyaltyRule.objects.get()  # the default rule added by the migration

    assert client.get(f"/admin/sales/loyaltyrule/{rule.pk}/change/").status_code == 200
