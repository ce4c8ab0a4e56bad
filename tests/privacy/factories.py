"""A person with data in many apps, with names no other test data shares."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hamkor.activities.models import Notification
from hamkor.booking.models import Booking
from hamkor.contacts.models import Contact, Source
from hamkor.contacts.services import ContactInput, update_contact
from hamkor.contacts.services.inputs import EmailInput, PhoneInput
from hamkor.messaging.models import InboundMessage, OutboundMessage
from hamkor.portal.models import LoginCode
from hamkor.privacy.models import RetentionPolicy
from tests.accounts.factories import UserFactory
from tests.activities.factories import ActivityFactory, InteractionFactory
from tests.billing.factories import free_line, make_invoice
from tests.booking.factories import BookingPageFactory
from tests.contacts.factories import ContactFactory, SourceFactory
from tests.feedback.factories import CommentFactory, SuggestionFactory, VoteFactory
from tests.sales.factories import OrderFactory, ProductFactory
from tests.support.factories import open_ticket
from tests.webforms.factories import SubmissionFactory

NAME = "Zebunisa Qodirova-Test"
FIRST = "Zebunisa"
LAST = "Qodirova-Test"
PHONE = "+998901112233"
EMAIL = "zebunisa.q@example.uz"
FILE_TEXT = b"Passport scan of Zebunisa Qodirova-Test, +998901112233"


class AdminFactory(UserFactory):
    role = "admin"


class PolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RetentionPolicy
        django_get_or_create = ("kind",)

    kind = "stale_leads"
    months = 12


class OutboundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboundMessage

    channel = "sms"
    kind = "manual"
    body = "Hello"
    idempotency_key = factory.Sequence(lambda n: f"privacy-test-{n}")
    send_after = factory.LazyFunction(timezone.now)


class InboundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InboundMessage

    channel = "email"
    external_id = factory.Sequence(lambda n: f"<msg{n}@example.uz>")
    received_at = factory.LazyFunction(timezone.now)


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    page = factory.SubFactory(BookingPageFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=2))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=30))
    channel = "sms"
    customer_time_zone = "Asia/Tashkent"
    language = "uz"


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    title = "Reminder"
    dedupe_key = factory.Sequence(lambda n: f"privacy-test-{n}")


class LoginCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LoginCode

    channel = "sms"
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(minutes=10))


@dataclass
class Person:
    contact: Contact
    other: Contact
    source: Source


def person_with_everything() -> Person:
    """Zebunisa, with a timeline in every app, and Dilnoza, another customer, beside her."""
    actor = AdminFactory()
    source = SourceFactory(name="Banner on Amir Temur")
    contact = ContactFactory(first_name="Zebo", last_name="Qodirova", source=source)
    # Renamed through the service, so the audit trail holds the old and new names.
    update_contact(
        contact=contact,
        data=ContactInput(
            values={"first_name": FIRST, "last_name": LAST, "notes": f"{NAME} likes honey"},
            phones=[PhoneInput(number=PHONE)],
            emails=[EmailInput(email=EMAIL)],
            custom_fields={},
        ),
        actor=actor,
    )
    contact.refresh_from_db()
    Contact.objects.filter(pk=contact.pk).update(birthday=datetime.date(1990, 5, 17))
    other = ContactFactory(
        first_name="Dilnoza", last_name="Karimova", phone="+998935556677", source=source
    )
    InteractionFactory(contact=contact, subject="Called Zebunisa", body=f"{NAME} wants a cake")
    InteractionFactory(contact=other, subject="Called Dilnoza", body="Dilnoza wants bread")
    ActivityFactory(contact=contact, subject=f"Call {NAME} back", note=PHONE)
    product = ProductFactory(name="Napoleon cake", price=Decimal("250000.00"))
    OrderFactory(contact=contact, lines=[(product, 2)], notes=f"Deliver to {NAME}")
    OrderFactory(contact=other, lines=[(product, 1)])
    make_invoice(contact=contact, lines=[free_line(description="Birthday cake")], notes=NAME)
    open_ticket(
        contact,
        subject=f"Order for {NAME}",
        body=f"Call me at {PHONE} or {EMAIL}",
        uploads=[SimpleUploadedFile("passport.txt", FILE_TEXT, content_type="text/plain")],
    )
    OutboundFactory(contact=contact, to_address=PHONE, body=f"Dear {NAME}, your cake is ready")
    InboundFactory(contact=contact, from_address=EMAIL, body=f"Thanks! {NAME}")
    SubmissionFactory(
        contact=contact,
        data={"name": NAME, "phone": PHONE, "email": EMAIL},
        ip="203.0.113.9",
    )
    BookingFactory(contact=contact, name=NAME, phone=PHONE, email=EMAIL, note="Sugar-free")
    CommentFactory(contact=contact, body=f"{NAME} says: lovely!")
    suggestion = SuggestionFactory(contact=contact, title="Sugar-free cakes", description=EMAIL)
    VoteFactory(suggestion=suggestion, contact=other)
    LoginCodeFactory(contact=contact, address=PHONE)
    # A code asked for her address before it was known: no contact, only the address.
    LoginCodeFactory(contact=None, address=EMAIL)
    return Person(contact=contact, other=other, source=source)
