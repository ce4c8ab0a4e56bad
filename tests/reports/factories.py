"""Records of every kind a report lists, owned by a given user (and so their team)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from hamkor.billing.services.payments import record_payment
from hamkor.booking.models import Booking
from tests.activities.factories import ActivityFactory, InteractionFactory
from tests.billing.factories import FinanceUserFactory, make_invoice, make_issued
from tests.booking.factories import BookingPageFactory
from tests.contacts.factories import CompanyFactory, ContactFactory
from tests.projects.factories import ProjectFactory, TaskFactory, TimeEntryFactory
from tests.sales.factories import DealFactory, OrderFactory, ProductFactory
from tests.support.factories import TicketFactory


class BookingFactory(factory.django.DjangoModelFactory):
    """A confirmed booking tomorrow with the page's staff member, for the contact."""

    class Meta:
        model = Booking

    page = factory.SubFactory(BookingPageFactory)
    contact = factory.SubFactory(ContactFactory)
    owner = factory.LazyAttribute(lambda o: o.page.schedule.user)
    team = factory.LazyAttribute(lambda o: o.owner.team)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=30))
    name = "Aziza Karimova"
    email = "aziza@example.com"
    channel = "email"
    customer_time_zone = "Asia/Tashkent"
    language = "en"


def _contact(owner):
    return ContactFactory(owner=owner)


def _project(owner):
    return ProjectFactory(company=CompanyFactory(owner=owner))


def _payment(owner):
    invoice = make_issued(contact=_contact(owner))
    return record_payment(
        actor=FinanceUserFactory(), invoice=invoice, amount=Decimal("40000"), paid_on=None
    )


# One record per report, owned by ``owner``: the scoping tests make one for each of two teams.
MAKERS = {
    "contacts": _contact,
    "companies": lambda owner: CompanyFactory(owner=owner),
    "orders": lambda owner: OrderFactory(contact=_contact(owner)),
    "order-lines": lambda owner: OrderFactory(
        contact=_contact(owner), lines=[(ProductFactory(), "2")]
    ),
    "deals": lambda owner: DealFactory(contact=_contact(owner)),
    "activities": lambda owner: ActivityFactory(contact=_contact(owner)),
    "interactions": lambda owner: InteractionFactory(contact=_contact(owner)),
    "tasks": lambda owner: TaskFactory(project=_project(owner)),
    "time": lambda owner: TimeEntryFactory(task=TaskFactory(project=_project(owner))),
    "invoices": lambda owner: make_invoice(contact=_contact(owner)),
    "payments": _payment,
    "tickets": lambda owner: TicketFactory(contact=_contact(owner), team=owner.team),
    "bookings": lambda owner: BookingFactory(
        page=BookingPageFactory(schedule__user=owner), contact=_contact(owner)
    ),
}
