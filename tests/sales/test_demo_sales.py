import pytest
from django.core.management import CommandError, call_command

from hamkor.contacts.demo import load_demo
from hamkor.sales.models import Deal, DealStageChange, Order, PurchaseCycle
from hamkor.sales.selectors.insight import get_customer_summary

pytestmark = pytest.mark.django_db


def test_demo_sales_gives_regulars_cycles_and_the_agency_deals(capsys):
    load_demo(contacts=60, password="demo-pass-123")

    call_command("demo_sales")

    assert Order.objects.count() > 60
    assert Deal.objects.exists()
    assert DealStageChange.objects.count() >= Deal.objects.count()
    cycle = PurchaseCycle.objects.select_related("contact").first()
    assert cycle is not None
    assert get_customer_summary(contact=cycle.contact).orders >= 3
    with pytest.raises(CommandError, match="already exists"):
        call_command("demo_sales")
