"""A small install touching many apps, for the export/restore round trip."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from hamkor.accounts.models import Role, User
from hamkor.billing.models import Invoice
from hamkor.billing.services.invoices import FreeLineInput, create_invoice
from hamkor.billing.services.issuing import issue_invoice
from hamkor.billing.services.payments import record_payment
from hamkor.contacts.models import Contact, ContactEmail, ContactPhone, CustomFieldDefinition
from hamkor.projects.models import TaskAttachment
from hamkor.projects.services.task_items import add_attachment
from hamkor.sales.models import Order
from tests.accounts.factories import UserFactory
from tests.activities.factories import ActivityFactory, InteractionFactory
from tests.billing.factories import FinanceUserFactory
from tests.contacts.factories import CompanyFactory, ContactFactory, TagFactory
from tests.projects.factories import TaskFactory
from tests.sales.factories import DealFactory, OrderFactory, ProductFactory
from tests.support.factories import TicketFactory, TicketMessageFactory

ATTACHMENT_BYTES = b"%PDF-1.4 delivery note \x00\xff bytes that must survive"


@dataclass
class Install:
    admin: User
    yusupova: Contact
    order_uzs: Order
    order_usd: Order
    invoice: Invoice
    attachment: TaskAttachment


def build_install() -> Install:
    """Contacts with phones, emails, tags and custom fields; orders in two currencies; a deal,
    activities, a task with a file, an issued invoice partly paid, a ticket with replies."""
    admin = UserFactory(username="admin", role=Role.ADMIN)
    finance = FinanceUserFactory(username="kassa")
    CustomFieldDefinition.objects.create(
        entity="contact", key="favourite_cake", label="Favourite cake", field_type="text"
    )
    vip, wholesale = TagFactory(name="vip"), TagFactory(name="wholesale")
    company = CompanyFactory(name="Shirin Bakery", owner=admin)
    company.tags.add(wholesale)
    yusupova = ContactFactory(
        first_name="Malika",
        last_name="Yusupova",
        owner=admin,
        company=company,
        language="en",
        custom_fields={"favourite_cake": "Napoleon"},
        birthday=datetime.date(1990, 3, 8),
    )
    yusupova.tags.add(vip, wholesale)
    ContactPhone.objects.create(contact=yusupova, number="+998901234567")
    ContactEmail.objects.create(contact=yusupova, email="malika@example.com")
    other = ContactFactory(first_name="Rustam", last_name="Karimov", owner=admin)
    cake = ProductFactory(name="Napoleon cake", price=Decimal("120000.00"))
    candle = ProductFactory(name="Candle", price=Decimal("2.50"))
    order_uzs = OrderFactory(contact=yusupova, currency="UZS", lines=[(cake, 2)])
    order_usd = OrderFactory(contact=other, currency="USD", lines=[(candle, 3)])
    deal = DealFactory(contact=yusupova, title="Wedding cake", amount=Decimal("950000.00"))
    InteractionFactory(contact=yusupova, subject="Asked about a wedding cake")
    first = ActivityFactory(contact=yusupova, deal=deal, owner=admin)
    ActivityFactory(contact=yusupova, owner=admin, follow_up_of=first)
    task = TaskFactory(title="Deliver the wedding cake")
    upload = SimpleUploadedFile("note.pdf", ATTACHMENT_BYTES, content_type="application/pdf")
    attachment = add_attachment(task=task, upload=upload, actor=admin)
    invoice = create_invoice(
        actor=finance,
        contact=yusupova,
        currency="UZS",
        free_lines=[
            FreeLineInput(
                description="Wedding cake", quantity=Decimal("1"), unit_price=Decimal("500000")
            )
        ],
        tax_rate_percent=Decimal("12"),
    )
    invoice = issue_invoice(actor=finance, invoice=invoice)
    record_payment(actor=finance, invoice=invoice, amount=Decimal("200000.00"))
    ticket = TicketFactory(contact=yusupova, subject="Where is my cake?")
    TicketMessageFactory(ticket=ticket, body="It was delivered at noon.")
    TicketMessageFactory(ticket=ticket, body="Thank you!")
    return Install(
        admin=admin,
        yusupova=yusupova,
        order_uzs=order_uzs,
        order_usd=order_usd,
        invoice=invoice,
        attachment=attachment,
    )
