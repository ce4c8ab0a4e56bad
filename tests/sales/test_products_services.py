from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hamkor.accounts.models import Role
from hamkor.core.models import AuditEvent
from hamkor.sales.models import Product
from hamkor.sales.selectors.products import (
    ProductFilters,
    get_product,
    list_product_categories,
    list_products,
)
from hamkor.sales.services.products import (
    can_manage_products,
    create_product,
    deactivate_product,
    update_product,
)
from tests.accounts.factories import UserFactory
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return UserFactory(role=Role.MANAGER)


def values(**overrides):
    data = {
        "sku": " CAKE-NAP ",
        "name": "Napoleon cake",
        "name_translations": {"ru": "Торт Наполеон", "uz": " ", "ky": "Наполеон торту"},
        "category": "Cakes",
        "price": "150000",
        "currency": "uzs",
    }
    data.update(overrides)
    return data


# --- services -----------------------------------------------------------------------------


def test_create_product_normalises_and_records_event(manager):
    product = create_product(values=values(), actor=manager)

    product.refresh_from_db()
    assert product.sku == "CAKE-NAP"
    assert product.price == Decimal("150000.00")
    assert product.currency == "UZS"
    assert product.name_translations == {"ky": "Наполеон торту", "ru": "Торт Наполеон"}
    assert AuditEvent.objects.filter(verb="product.created", target_id=str(product.pk)).exists()


def test_create_product_refuses_duplicate_sku_whatever_the_case(manager):
    ProductFactory(sku="CAKE-NAP")

    with pytest.raises(ValidationError) as caught:
        create_product(values=values(sku="cake-nap"), actor=manager)

    assert "already has the SKU" in caught.value.message_dict["sku"][0]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"price": "-0.01"}, "price"),
        ({"price": "NaN"}, "price"),
        ({"price": "1.234"}, "price"),
        ({"price": "1e400"}, "price"),
        ({"currency": "ABC"}, "currency"),
        ({"name": "  "}, "name"),
        ({"unit": "bucket"}, "unit"),
        ({"name_translations": {"de": "Kuchen"}}, "name_translations"),
        ({"colour": "red"}, "__all__"),
    ],
)
def test_create_product_refuses_bad_values(manager, overrides, field):
    with pytest.raises(ValidationError) as caught:
        create_product(values=values(**overrides), actor=manager)

    assert field in caught.value.message_dict
    assert not Product.objects.exists()


def test_create_product_requires_sku_name_price_and_currency(manager):
    with pytest.raises(ValidationError) as caught:
        create_product(values={"name": "Cake"}, actor=manager)

    assert set(caught.value.message_dict) == {"sku", "price", "currency"}


def test_create_product_accepts_zero_price(manager):
    product = create_product(values=values(price=Decimal("0")), actor=manager)

    assert product.price == Decimal("0.00")


@pytest.mark.parametrize("role", [Role.SALES, Role.SUPPORT, Role.FINANCE, Role.OPERATIONS])
def test_create_product_is_for_admins_and_managers_only(role):
    with pytest.raises(PermissionDenied):
        create_product(values=values(), actor=UserFactory(role=role))


def test_can_manage_products_for_admin_and_superuser():
    assert can_manage_products(UserFactory(role=Role.ADMIN))
    assert can_manage_products(UserFactory(role=Role.SALES, is_superuser=True))
    assert not can_manage_products(UserFactory(role=Role.SALES))


def test_update_product_changes_only_given_fields(manager):
    product = ProductFactory(name="Napoleon", price=Decimal("100.00"), currency="USD")

    update_product(product=product, values={"price": "120.5", "sku": product.sku}, actor=manager)

    product.refresh_from_db()
    assert (product.name, product.price, product.currency) == ("Napoleon", Decimal("120.50"), "USD")
    event = AuditEvent.objects.get(verb="product.updated")
    assert event.data == {"fields": ["price"]}


def test_update_product_without_changes_records_nothing(manager):
    product = ProductFactory()

    update_product(product=product, values={"name": product.name}, actor=manager)

    assert not AuditEvent.objects.filter(verb="product.updated").exists()


def test_update_product_refuses_sku_of_another(manager):
    ProductFactory(sku="A-1")
    product = ProductFactory(sku="B-1")

    with pytest.raises(ValidationError):
        update_product(product=product, values={"sku": "A-1"}, actor=manager)


def test_update_product_by_sales_user_is_refused():
    product = ProductFactory()

    with pytest.raises(PermissionDenied):
        update_product(product=product, values={"price": "1"}, actor=UserFactory(role=Role.SALES))


def test_deactivate_product(manager):
    product = ProductFactory()

    deactivate_product(product=product, actor=manager)

    product.refresh_from_db()
    assert not product.is_active
    assert AuditEvent.objects.filter(verb="product.deactivated").count() == 1


# --- selectors ----------------------------------------------------------------------------


def test_list_products_searches_name_sku_and_translations():
    napoleon = ProductFactory(name="Napoleon", sku="CAKE-1", name_translations={"uz": "Tort"})
    bread = ProductFactory(name="Bread", sku="BR-7")

    assert list(list_products(filters=ProductFilters(q="napo"))) == [napoleon]
    assert list(list_products(filters=ProductFilters(q="br-7"))) == [bread]
    assert list(list_products(filters=ProductFilters(q="tort"))) == [napoleon]


def test_list_products_hides_inactive_unless_asked():
    active = ProductFactory(name="A")
    inactive = ProductFactory(name="B", is_active=False)

    assert list(list_products()) == [active]
    assert list(list_products(filters=ProductFilters(active=False))) == [inactive]
    assert list(list_products(filters=ProductFilters(active=None))) == [active, inactive]


def test_list_products_filters_category_and_orders():
    cheap = ProductFactory(name="Z", category="Cakes", price=Decimal("10"))
    dear = ProductFactory(name="A", category="Cakes", price=Decimal("20"))
    ProductFactory(name="M", category="Bread")

    found = list_products(filters=ProductFilters(category="cakes"), ordering="-price")

    assert list(found) == [dear, cheap]


def test_list_products_unknown_ordering_falls_back_to_name():
    b, a = ProductFactory(name="B"), ProductFactory(name="A")

    assert list(list_products(ordering="nonsense")) == [a, b]


def test_get_product_finds_inactive_ones_too():
    product = ProductFactory(is_active=False)

    assert get_product(pk=product.pk) == product


def test_list_product_categories_are_distinct_and_sorted():
    ProductFactory(category="Cakes")
    ProductFactory(category="Bread")
    ProductFactory(category="Cakes")
    ProductFactory(category="")

    assert list_product_categories() == ["Bread", "Cakes"]


def test_product_display_name_falls_back_to_name():
    product = ProductFactory(name="Napoleon", name_translations={"ru": "Наполеон"})

    assert product.display_name("ru") == "Наполеон"
    assert product.display_name("uz") == "Napoleon"
