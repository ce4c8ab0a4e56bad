"""A small, hand-made customer history for the overview tests."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from hamkor.accounts.models import Role
from hamkor.billing.models import Invoice
from hamkor.billing.services.payments import record_payment
from hamkor.contacts.models import Company, Contact
from hamkor.projects.models import Project, Task, TaskStatus
from hamkor.sales.models import OrderStatus, StageOutcome
from tests.accounts.factories import UserFactory
from tests.activities.factories import InteractionFactory
from tests.billing.factories import (
    ExchangeRateFactory,
    FinanceUserFactory,
    free_line,
    make_invoice,
    make_issued,
)
from tests.contacts.factories import ContactFactory
from tests.projects.factories import ProjectFactory, TaskFactory, TimeEntryFactory
from tests.sales.factories import DealFactory, OrderFactory, PipelineFactory


@dataclass
class History:
    customer: Contact | Company
    seller: object
    project: Project
    open_task: Task
    invoice: Invoice


def seller_with_customer(**contact_fields):
    """A sales user and a contact of theirs."""
    seller = UserFactory(role=Role.SALES)
    return seller, ContactFactory(owner=seller, **contact_fields)


def make_history(*, seller, contact=None, company=None) -> History:
    """2 deals (1 000 USD open, 5 000 000 UZS won), 3 orders (300 000 confirmed, 200 000 paid,
    100 000 cancelled), a project with a 10 h budget and 12 h logged, one task done and one
    open and overdue, an invoice of 1 120 000 (12 % VAT) issued 30 days ago with 420 000 paid,
    a draft invoice, and two interactions.
    """
    ExchangeRateFactory(currency="USD", rate=Decimal("12500"))
    customer = {"contact": contact, "company": company}
    owner = {"owner": seller, "team": seller.team}
    pipeline = PipelineFactory()
    won = pipeline.stages.get(outcome=StageOutcome.WON)
    DealFactory(**customer, **owner, pipeline=pipeline, title="Website", amount=Decimal("1000"))
    DealFactory(
        **customer,
        **owner,
        pipeline=pipeline,
        stage=won,
        status=StageOutcome.WON,
        title="Logo",
        amount=Decimal("5000000"),
        currency="UZS",
    )
    now = timezone.now()
    for status, total, days_ago in (
        (OrderStatus.CONFIRMED, "300000", 3),
        (OrderStatus.PAID, "200000", 2),
        (OrderStatus.CANCELLED, "100000", 1),
    ):
        OrderFactory(
            **customer,
            **owner,
            status=status,
            total=Decimal(total),
            ordered_at=now - datetime.timedelta(days=days_ago),
        )
    project = ProjectFactory(
        **customer, **owner, name="Shop website", budget_hours=Decimal("10"), currency="UZS"
    )
    done = TaskFactory(project=project, title="Design", status=TaskStatus.DONE)
    open_task = TaskFactory(
        project=project,
        title="Build the shop",
        assignee=seller,
        due_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    for minutes, task in ((480, done), (240, open_task)):
        TimeEntryFactory(
            task=task,
            user=seller,
            minutes=minutes,
            started_at=now - datetime.timedelta(days=2),
        )
    finance = FinanceUserFactory()
    invoice = make_issued(
        actor=finance,
        **customer,
        lines=[free_line(unit_price="1000000")],
        tax_rate_percent=Decimal("12"),
        issue_date=timezone.localdate() - datetime.timedelta(days=30),
    )
    record_payment(actor=finance, invoice=invoice, amount=Decimal("420000"))
    make_invoice(actor=finance, **customer, lines=[free_line(unit_price="50000")])
    InteractionFactory(
        **customer, subject="Agreed the launch date", occurred_at=now - datetime.timedelta(hours=1)
    )
    InteractionFactory(
        **customer, subject="First call", occurred_at=now - datetime.timedelta(days=20)
    )
    return History(
        customer=contact or company,
        seller=seller,
        project=project,
        open_task=open_task,
        invoice=invoice,
    )
