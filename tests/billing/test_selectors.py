import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.billing.selectors.ageing import bucket_of, get_receivables_ageing
from hamkor.billing.selectors.invoices import list_invoices
from hamkor.billing.services.issuing import void_invoice
from hamkor.billing.services.payments import record_payment
from hamkor.core.timeline import build_timeline
from tests.accounts.factories import TeamFactory, UserFactory
from tests.billing.factories import ExchangeRateFactory, FinanceUserFactory, free_line, make_issued
from tests.contacts.factories import CompanyFactory, ContactFactory

pytestmark = pytest.mark.django_db
# A past day: invoices cannot be issued in the future.
ON = timezone.localdate() - datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-5, "current"),
        (0, "current"),
        (1, "1_30"),
        (30, "1_30"),
        (31, "31_60"),
        (60, "31_60"),
        (61, "61_90"),
        (90, "61_90"),
        (91, "over_90"),
        (400, "over_90"),
    ],
)
def test_bucket_edges(days, bucket):
    assert bucket_of(days) == bucket


def _due_on(due: datetime.date, amount: str, **kwargs):
    """An issued invoice due on ``due`` (issued that day with 0 days of terms)."""
    return make_issued(
        issue_date=due,
        payment_terms_days=0,
        lines=[free_line("Work", "1", amount)],
        tax_rate_percent=Decimal(0),
        **kwargs,
    )


def test_ageing_puts_open_balances_in_buckets_by_days_past_due():
    actor = FinanceUserFactory()
    company = CompanyFactory(name="Baraka Savdo")
    _due_on(ON, "100", actor=actor, company=company)  # due today: current
    _due_on(ON - datetime.timedelta(days=30), "200", actor=actor, company=company)
    _due_on(ON - datetime.timedelta(days=45), "300", actor=actor, company=company)
    _due_on(ON - datetime.timedelta(days=61), "400", actor=actor, company=company)
    _due_on(ON - datetime.timedelta(days=120), "500", actor=actor, company=company)

    report = get_receivables_ageing(viewer=actor, on=ON)

    (row,) = report.rows
    assert row.customer == "Baraka Savdo"
    assert row.bucket_list == [Decimal(v) for v in ("100", "200", "300", "400", "500")]
    assert report.total == Decimal("1500")


def test_ageing_counts_balances_not_paid_void_or_draft_invoices():
    actor = FinanceUserFactory()
    contact = ContactFactory()
    partly = _due_on(ON - datetime.timedelta(days=10), "1000", actor=actor, contact=contact)
    record_payment(actor=actor, invoice=partly, amount=Decimal("400"), paid_on=ON)
    paid = _due_on(ON - datetime.timedelta(days=10), "50", actor=actor, contact=contact)
    record_payment(actor=actor, invoice=paid, amount=Decimal("50"), paid_on=ON)
    void = _due_on(ON - datetime.timedelta(days=10), "70", actor=actor, contact=contact)
    void_invoice(actor=actor, invoice=void)

    report = get_receivables_ageing(viewer=actor, on=ON)

    assert report.totals["1_30"] == Decimal("600")
    assert report.total == Decimal("600")


def test_ageing_converts_at_the_rate_fixed_at_issue_not_today():
    actor = FinanceUserFactory()
    issued_on = ON - datetime.timedelta(days=200)
    ExchangeRateFactory(date=issued_on, currency="USD", rate=Decimal("12000"))
    _due_on(issued_on, "100", actor=actor, currency="USD")
    ExchangeRateFactory(date=ON - datetime.timedelta(days=5), currency="USD", rate=Decimal("13000"))

    report = get_receivables_ageing(viewer=actor, on=ON)

    assert report.currency == "UZS"
    assert report.totals["over_90"] == Decimal("1200000.00")


def test_sales_staff_see_invoices_of_customers_they_can_see():
    team = TeamFactory()
    seller = UserFactory(role=Role.SALES, team=team)
    colleague = UserFactory(role=Role.SALES, team=team)
    of_team = make_issued(contact=ContactFactory(owner=colleague))
    make_issued(contact=ContactFactory())

    visible = list(list_invoices(viewer=seller))

    assert visible == [of_team]


def test_managers_and_finance_see_every_invoice():
    invoices = {make_issued().pk, make_issued().pk}

    for role in (Role.MANAGER, Role.FINANCE, Role.ADMIN):
        assert {i.pk for i in list_invoices(viewer=UserFactory(role=role))} == invoices


def test_operations_see_no_invoices():
    make_issued()

    assert list(list_invoices(viewer=UserFactory(role=Role.OPERATIONS))) == []


def test_invoices_and_payments_are_on_the_customer_timeline():
    contact = ContactFactory()
    invoice = make_issued(contact=contact, lines=[free_line("X", "1", "1000")])
    record_payment(actor=invoice.created_by, invoice=invoice, amount=Decimal("500"))

    entries = build_timeline(viewer=UserFactory(), contact_ids=[contact.pk], channel="invoice")

    kinds = sorted(entry.kind for entry in entries)
    assert kinds == ["invoice", "payment"]
    assert any(invoice.number in entry.title for entry in entries)


def test_invoices_stay_off_the_timeline_of_roles_that_cannot_open_them():
    contact = ContactFactory()
    invoice = make_issued(contact=contact, lines=[free_line("X", "1", "1000")])
    record_payment(actor=invoice.created_by, invoice=invoice, amount=Decimal("500"))

    for role in (Role.OPERATIONS, Role.SUPPORT):
        viewer = UserFactory(role=role)
        assert build_timeline(viewer=viewer, contact_ids=[contact.pk]) == []
    finance = UserFactory(role=Role.FINANCE)
    assert len(build_timeline(viewer=finance, contact_ids=[contact.pk])) == 2


def test_contact_card_timeline_hides_invoices_from_operations(client):
    contact = ContactFactory()
    invoice = make_issued(contact=contact, lines=[free_line("X", "1", "1000")])
    operations = UserFactory(role=Role.OPERATIONS, team=TeamFactory(name="Delivery"))
    contact.owner = operations
    contact.save(update_fields=["owner"])
    client.force_login(operations)

    card = client.get(f"/contacts/{contact.pk}/")

    assert card.status_code == 200
    assert invoice.number not in card.content.decode()
