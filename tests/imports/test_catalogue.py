from decimal import Decimal

from hamkor.contacts.models import Company
from hamkor.sales.models import Order, Product
from tests.contacts.factories import CompanyFactory, ContactFactory
from tests.sales.factories import ProductFactory


def test_import_companies_skips_a_name_match_and_checks_phones(run_bytes):
    CompanyFactory(name="Shirin Cakes")
    content = (
        "Название;Телефон;Сайт\nshirin cakes;;\nNon Bakery;+998 71 200 00 00;non.uz\nBad;12;\n"
    ).encode()

    checked = run_bytes(content, entity="company", skip_bad_rows=True)

    assert (checked.counts.new, checked.counts.skipped, checked.counts.errors) == (1, 1, 1)
    bakery = Company.objects.get(name="Non Bakery")
    assert (bakery.phone, bakery.website) == ("+998712000000", "https://non.uz")


def test_import_companies_update_fills_in_fields(run_bytes):
    company = CompanyFactory(name="Shirin Cakes")

    result = run_bytes(b"Name;City\nShirin Cakes;Bukhara\n", entity="company", duplicates="update")

    assert result.counts.updated == 1
    company.refresh_from_db()
    assert company.city == "Bukhara"


def test_company_dry_run_writes_nothing(run_bytes):
    result = run_bytes(b"Name\nNon Bakery\n", entity="company", write=False)

    assert result.counts.new == 1
    assert Company.objects.count() == 0


def test_import_products_by_sku(run_bytes):
    ProductFactory(sku="NAP-1", name="Napoleon", price=Decimal("100000"))
    content = (
        "Артикул;Название;Цена;Валюта\n"
        "nap-1;Napoleon cake;120 000,50;UZS\n"
        "MED-2;Medovik;95000;UZS\n"
    ).encode()

    result = run_bytes(content, entity="product", duplicates="update")

    assert (result.counts.new, result.counts.updated) == (1, 1)
    assert dict(Product.objects.values_list("sku", "price")) == {
        "NAP-1": Decimal("120000.50"),
        "MED-2": Decimal("95000.00"),
    }


def test_import_products_reports_bad_prices_and_writes_nothing(run_bytes):
    content = b"SKU;Name;Price\nA-1;Cake;12\nB-2;Pie;twelve\n"

    result = run_bytes(content, entity="product")

    assert not result.written
    assert result.error_sample == [
        {"row": 3, "column": "Price", "message": "“twelve” is not a number."}
    ]
    assert Product.objects.count() == 0


def test_import_products_create_mode_refuses_a_taken_sku(run_bytes):
    ProductFactory(sku="A-1")

    result = run_bytes(b"SKU;Name;Price\nA-1;Cake;12\n", entity="product", duplicates="create")

    assert result.counts.errors == 1
    assert "already has the SKU" in result.error_sample[0]["message"]


ORDERS = (
    "Order;Phone;SKU;Qty;Price;Currency;Date\n"
    "1001;+998901112233;NAP-1;2;100000;UZS;2024-03-01\n"
    "1001;+998901112233;MED-2;1;;UZS;2024-03-01\n"
    "1002;+998901112244;NAP-1;1;90000;UZS;05.03.2024\n"
)


def _catalogue():
    aziz = ContactFactory(phone="+998901112233", currency="UZS")
    madina = ContactFactory(phone="+998901112244", currency="UZS")
    ProductFactory(sku="NAP-1", price=Decimal("100000"), currency="UZS")
    ProductFactory(sku="MED-2", price=Decimal("80000"), currency="UZS")
    return aziz, madina


def test_import_orders_groups_lines_by_order_number(run_bytes):
    aziz, madina = _catalogue()

    result = run_bytes(ORDERS.encode(), entity="order")

    assert result.written
    assert result.counts.new == 2
    first = Order.objects.get(contact=aziz)
    assert first.total == Decimal("280000.00")
    assert first.lines.count() == 2
    assert first.ordered_at.date().isoformat() == "2024-03-01"
    assert Order.objects.get(contact=madina).total == Decimal("90000.00")


def test_import_orders_twice_does_not_double_them(run_bytes):
    _catalogue()
    run_bytes(ORDERS.encode(), entity="order")

    again = run_bytes(ORDERS.encode(), entity="order")

    assert (again.counts.new, again.counts.skipped) == (0, 2)
    assert Order.objects.count() == 2


def test_import_orders_with_an_unknown_customer_or_sku_writes_nothing(run_bytes):
    _catalogue()
    content = ORDERS + "1003;+998909999999;NAP-1;1;;UZS;\n1004;+998901112233;NOPE;1;;UZS;\n"

    result = run_bytes(content.encode(), entity="order")

    assert not result.written
    assert [(e["row"], e["column"]) for e in result.error_sample] == [(5, "Phone"), (6, "SKU")]
    assert Order.objects.count() == 0


def test_order_dry_run_writes_nothing(run_bytes):
    _catalogue()

    result = run_bytes(ORDERS.encode(), entity="order", write=False)

    assert result.counts.new == 2
    assert Order.objects.count() == 0
