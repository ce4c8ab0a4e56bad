"""Booking a slot: contact, meeting, confirmation, and every way it is refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from hamkor.activities.models import Activity, ActivityKind, Notification
from hamkor.booking.models import Booking, BookingStatus
from hamkor.booking.selectors import list_free_slots
from hamkor.booking.services import (
    CustomerDetails,
    SlotTaken,
    book_slot,
    cancel_booking,
    set_working_hours,
)
from hamkor.consent.models import ConsentRecord
from hamkor.contacts.models import ChannelConsent, Contact, Stage
from hamkor.messaging.models import OutboundMessage, Status
from tests.accounts.factories import TeamFactory, UserFactory
from tests.activities.factories import ActivityFactory
from tests.booking.conftest import NOW, SITE
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db

# 09:00 in Tashkent on the Monday of NOW.
NINE = datetime.datetime(2030, 1, 14, 4, 0, tzinfo=datetime.UTC)


def _customer(**changes):
    values = {
        "name": "Aziza Rahimova",
        "email": "Aziza@Example.com",
        "phone": "",
        "consent": True,
        "time_zone": "Asia/Tashkent",
        "language": "en",
    }
    values.update(changes)
    return CustomerDetails(**values)


def _book(page, start=NINE, **changes):
    return book_slot(page=page, start=start, customer=_customer(**changes), site_url=SITE, now=NOW)


def test_book_slot_puts_a_meeting_with_a_new_lead_in_the_staff_calendar(page):
    booking = _book(page, note="Three tiers, chocolate")

    activity = Activity.objects.get()
    assert activity.kind == ActivityKind.MEETING
    assert activity.owner == page.schedule.user
    assert activity.due_at == NINE
    assert activity.duration_minutes == 30
    assert activity.location == "Amir Temur 1, Tashkent"
    assert activity.note == "Three tiers, chocolate"
    assert activity.contact == booking.contact
    contact = Contact.objects.get()
    assert (contact.first_name, contact.last_name, contact.stage) == (
        "Aziza",
        "Rahimova",
        Stage.LEAD,
    )
    assert contact.emails.get().email == "aziza@example.com"
    assert booking.activity == activity
    assert booking.status == BookingStatus.CONFIRMED
    notice = Notification.objects.get(kind="booking_booked")
    assert notice.user == page.schedule.user
    assert "Aziza Rahimova" in notice.title
    assert "09:00" in notice.title or "9 a.m." in notice.title


def test_book_slot_queues_the_confirmation_in_the_customer_language_and_zone(page):
    booking = _book(page, language="ru", time_zone="America/New_York")

    message = OutboundMessage.objects.get(idempotency_key=f"booking:{booking.uuid}:confirmed")
    assert message.channel == "email"
    assert message.to_address == "aziza@example.com"
    assert message.kind == "transactional"
    assert message.status == Status.QUEUED
    # 09:00 Tashkent is 23:00 of the day before in New York, written the Russian way.
    assert "23:00" in message.body
    assert "America/New_York" in message.body
    assert "воскресенье" in message.body.lower()
    assert f"{SITE}/book/b/" in message.body
    # Agreeing to hear about the booking is no opt-in to marketing.
    assert not ChannelConsent.objects.filter(contact=booking.contact).exists()
    assert booking.confirmation_queued


def test_book_slot_without_the_tick_sends_no_confirmation(page):
    booking = _book(page, consent=False)

    assert not OutboundMessage.objects.filter(contact=booking.contact).exists()
    assert not booking.confirmation_queued


def test_book_slot_with_the_tick_records_service_consent_with_its_wording(page):
    booking = _book(page, consent=True)

    record = ConsentRecord.objects.get(contact=booking.contact)
    assert (record.purpose, record.granted, record.channel) == ("service", True, booking.channel)
    assert record.text_shown.startswith("I agree to get the confirmation")
    assert booking.confirmation_queued


def test_book_slot_matches_an_existing_contact_by_phone_in_another_format(page):
    elsewhere = UserFactory(team=TeamFactory(name="Shop floor"))
    known = ContactFactory(owner=elsewhere, phone="+998901234567")

    booking = _book(page, email="", phone="90 123 45 67", channel="sms")

    assert booking.contact == known
    assert Contact.objects.count() == 1
    assert OutboundMessage.objects.get().to_address == "+998901234567"


def test_book_slot_matches_an_existing_contact_by_email(page):
    known = ContactFactory(email="aziza@example.com")

    booking = _book(page, email="AZIZA@example.com ")

    assert booking.contact == known


def test_book_slot_refuses_the_same_time_twice(page):
    _book(page)

    with pytest.raises(SlotTaken):
        _book(page, email="other@example.com")

    assert Booking.objects.count() == 1
    assert Activity.objects.count() == 1


def test_book_slot_refuses_a_time_the_staff_filled_with_another_activity(page):
    staff = page.schedule.user
    ActivityFactory(
        owner=staff, contact=ContactFactory(owner=staff), due_at=NINE, duration_minutes=60
    )

    assert NINE not in list_free_slots(page=page, now=NOW)
    with pytest.raises(SlotTaken):
        _book(page)


def test_book_slot_refuses_a_time_not_offered(page):
    with pytest.raises(ValidationError) as error:
        _book(page, start=NINE + datetime.timedelta(minutes=10))

    assert "slot" in error.value.message_dict
    assert Contact.objects.count() == 0


def test_book_slot_refuses_an_unpublished_page(page):
    page.is_published = False
    page.save()

    with pytest.raises(ValidationError):
        _book(page)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "", "phone": ""}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({"phone": "12", "email": ""}, "phone"),
        ({"name": "  "}, "name"),
        ({"time_zone": "Mars/Olympus"}, "tz"),
        ({"channel": "sms"}, "phone"),
    ],
)
def test_book_slot_names_the_field_to_fix(page, changes, field):
    with pytest.raises(ValidationError) as error:
        _book(page, **changes)

    assert field in error.value.message_dict
    assert Booking.objects.count() == 0
    assert Contact.objects.count() == 0


def test_free_slots_leave_out_a_booked_time_and_its_buffers(page):
    page.buffer_after_minutes = 15
    page.save()
    _book(page)

    slots = list_free_slots(page=page, now=NOW)

    first_day = [slot for slot in slots if slot.date() == NINE.date()]
    # 09:00 is booked; 09:30 would start inside its 15 minutes after (09:30-09:45).
    assert [slot.strftime("%H:%M") for slot in first_day[:2]] == ["05:00", "05:30"]


def test_cancel_booking_by_the_customer_frees_the_time_and_tells_the_staff(page):
    booking = _book(page)

    cancel_booking(booking=booking, by="customer", site_url=SITE, now=NOW)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancelled_by == "customer"
    assert Activity.objects.count() == 0
    assert NINE in list_free_slots(page=page, now=NOW)
    notice = Notification.objects.get(kind="booking_cancelled")
    assert notice.user == page.schedule.user
    assert "Aziza Rahimova" in notice.title


def test_cancel_booking_by_staff_tells_the_customer(page):
    booking = _book(page)

    cancel_booking(booking=booking, by="staff", actor=page.schedule.user, site_url=SITE, now=NOW)

    message = OutboundMessage.objects.get(idempotency_key=f"booking:{booking.uuid}:cancelled")
    assert "cancelled" in message.body
    assert f"{SITE}/book/cakes/" in message.body


def test_cancel_booking_twice_is_refused(page):
    booking = _book(page)
    cancel_booking(booking=booking, by="customer", site_url=SITE, now=NOW)

    with pytest.raises(ValidationError):
        cancel_booking(booking=booking, by="customer", site_url=SITE, now=NOW)


def test_cancel_booking_after_it_started_is_refused(page):
    booking = _book(page)

    with pytest.raises(ValidationError):
        cancel_booking(
            booking=booking, by="customer", site_url=SITE, now=NINE + datetime.timedelta(minutes=1)
        )
    assert Activity.objects.count() == 1


def test_set_working_hours_refuses_overlaps_and_keeps_the_old_hours(schedule):
    hours = {0: [(datetime.time(9), datetime.time(13)), (datetime.time(12), datetime.time(18))]}

    with pytest.raises(ValidationError) as error:
        set_working_hours(schedule=schedule, actor=schedule.user, hours=hours)

    assert "day_0" in error.value.message_dict
    assert schedule.hours.count() == 7


def test_set_working_hours_replaces_the_week(page):
    hours = {2: [(datetime.time(14), datetime.time(15))]}

    set_working_hours(schedule=page.schedule, actor=page.schedule.user, hours=hours)

    slots = list_free_slots(page=page, now=NOW)
    # Wednesday 16 January 2030, 14:00 and 14:30 in Tashkent = 09:00, 09:30 UTC.
    assert [slot.isoformat() for slot in slots[:2]] == [
        "2030-01-16T09:00:00+00:00",
        "2030-01-16T09:30:00+00:00",
    ]
