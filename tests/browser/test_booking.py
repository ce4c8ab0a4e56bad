"""Aziza books a cake consultation on her phone: the times come in her own zone (New York,
far from the shop's Tashkent), she switches the day, picks a time, fills the form and sees
the confirmation."""

import re

import pytest
from playwright.sync_api import expect

from hamkor.booking.models import Booking
from hamkor.messaging.models import OutboundMessage
from tests.booking.factories import BookingPageFactory, ScheduleFactory, work_every_day

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized page whose browser lives in New York."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="en-US", timezone_id="America/New_York"
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    tab.base_url = live_server.url
    yield tab
    context.close()


def test_book_a_slot_in_the_customer_zone_and_see_the_confirmation(phone):
    schedule = ScheduleFactory(user__first_name="Dilnoza", user__last_name="Karimova")
    work_every_day(schedule)
    BookingPageFactory(schedule=schedule, slug="cakes", title="Cake consultation")

    phone.goto(phone.base_url + "/book/cakes/")

    # The page reloads itself once with the zone the browser reports.
    expect(phone).to_have_url(re.compile(r"tz=America%2FNew_York"))
    expect(phone.get_by_label("Times are shown in this time zone")).to_have_value(
        "America/New_York"
    )
    # 09:00-12:00 in Tashkent is 23:00-02:00 (or 00:00-03:00 in summer) in New York.
    slots = phone.locator(".times a.slot")
    expect(slots.first).to_have_text(re.compile(r"^(11 p\.m\.|midnight|\d+(:\d\d)? a\.m\.)$"))

    days = phone.locator(".days a.day")
    days.nth(1).click()
    expect(days.nth(1)).to_have_attribute("aria-current", "date")
    expect(phone).to_have_url(re.compile(r"day=\d{4}-\d\d-\d\d"))
    chosen = slots.first.inner_text()
    slots.first.click()

    phone.get_by_label("Your name").fill("Aziza Rahimova")
    phone.get_by_role("textbox", name="Email").fill("aziza@example.com")
    phone.get_by_label(re.compile("I agree to get the confirmation")).check()
    phone.get_by_role("button", name="Book this time").click()

    expect(phone.get_by_role("heading", name="You are booked")).to_be_visible()
    when = phone.locator(".booked-time")
    expect(when).to_contain_text(chosen)
    expect(when).to_contain_text("(America/New_York)")
    expect(phone.get_by_role("link", name="Add to my calendar (.ics)")).to_be_visible()
    booking = Booking.objects.get()
    assert booking.customer_time_zone == "America/New_York"
    assert OutboundMessage.objects.get(contact=booking.contact).to_address == "aziza@example.com"
