import pytest
from django.core.management import CommandError, call_command

from hamkor.billing.models import Invoice, InvoiceStatus
from hamkor.billing.selectors.ageing import get_receivables_ageing
from hamkor.contacts.demo import load_demo
from tests.billing.factories import FinanceUserFactory

pytestmark = pytest.mark.django_db


def test_demo_billing_gives_paid_partly_paid_overdue_and_draft_invoices(capsys):
    load_demo(contacts=80, password="demo-pass-123")
    call_command("demo_sales")

    call_command("demo_billing")

    statuses = set(Invoice.objects.values_list("status", flat=True))
    assert {InvoiceStatus.PAID, InvoiceStatus.PARTLY_PAID, InvoiceStatus.ISSUED} <= statuses
    assert InvoiceStatus.DRAFT in statuses
    ageing = get_receivables_ageing(viewer=FinanceUserFactory())
    assert ageing.total > ageing.totals["current"]  # something is overdue
    with pytest.raises(CommandError, match="already exist"):
        call_command("demo_billing")
