"""Factories for billing tests: users by role, rates, and invoices made through the services."""

import datetime
from decimal import Decimal

import factory

from hamkor.accounts.models import Role
from hamkor.billing.models import TaxRate
from hamkor.billing.services.invoices import FreeLineInput, create_invoice
from hamkor.billing.services.issuing import issue_invoice
from hamkor.core.models import ExchangeRate
from tests.accounts.factories import UserFactory


class FinanceUserFactory(UserFactory):
    role = Role.FINANCE
    team = None


class TaxRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxRate
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Tax {n}")
    percent = Decimal("12.00")


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate
        django_get_or_create = ("date", "currency")

    date = datetime.date(2000, 1, 1)
    currency = "USD"
    rate = Decimal("12500")


def free_line(description="Consulting", quantity="1", unit_price="100000", **kwargs):
    return FreeLineInput(
        description=description,
        quantity=Decimal(quantity),
        unit_price=Decimal(unit_price),
        **kwargs,
    )


def make_invoice(*, actor=None, contact=None, company=None, currency="UZS", lines=None, **kwargs):
    """A draft made through create_invoice (one 100 000 line by default)."""
    from tests.contacts.factories import ContactFactory

    actor = actor or FinanceUserFactory()
    if contact is None and company is None:
        contact = ContactFactory()
    return create_invoice(
        actor=actor,
        contact=contact,
        company=company,
        currency=currency,
        free_lines=lines if lines is not None else [free_line()],
        **kwargs,
    )


def make_issued(*, issue_date=None, **kwargs):
    """An issued invoice (numbered, rate fixed) made through the services."""
    invoice = make_invoice(**kwargs)
    return issue_invoice(actor=invoice.created_by, invoice=invoice, issue_date=issue_date)
