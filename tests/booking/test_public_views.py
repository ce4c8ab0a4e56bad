"""The public booking page at /book/<slug>/, driven like a customer's browser would."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse

from hamkor.activities.models import Activity
from hamkor.booking.models import Booking, BookingStatus
from hamkor.booking.selectors import booking_token, list_free_slots
from hamkor.contacts.models import Contact
from hamkor.messaging.models import OutboundMessage

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def _value(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _form(moment, **changes):
    data = {
        "slot": _value(moment),
        "tz": "America/New_York",
        "name": "Aziza Rahimova",
        "email": "aziza@example.com",
        "phone": "",
        "channel": "email",
        "consent": "on",
        "note": "",
    }
    data.update(changes)
    return data


def _url(page):
    return reverse("booking_public:page", args=[page.slug])


def test_page_shows_the_times_in_the_customer_zone(client, page):
    first = list_free_slots(page=page)[0]

    response = client.get(_url(page), {"tz": "America/New_York"})

    assert response.status_code == 200
    html = response.content.decode()
    # 09:00 in Tashkent is 23:00 (or midnight in summer) the evening before in New York.
    local = first.astimezone(NEW_YORK)
    assert local.hour in (23, 0)
    label = "11 p.m." if local.hour == 23 else "midnight"
    assert f">{label}</a>" in html
    assert f'data-slot="{local.isoformat()}"' in html
    assert '<option value="America/New_York" selected>' in html


def test_page_defaults_to_the_organisation_zone(client, page):
    response = client.get(_url(page))

    html = response.content.decode()
    assert '<option value="Asia/Tashkent" selected>' in html
    assert ">9 a.m.</a>" in html


def test_page_with_an_unknown_zone_says_so(client, page):
    response = client.get(_url(page), {"tz": "Mars/Olympus"})

    assert response.status_code == 400
    assert "“Mars/Olympus” is not a time zone" in response.content.decode()


def test_page_unpublished_or_unknown_is_not_found(client, page):
    page.is_published = False
    page.save()

    assert client.get(_url(page)).status_code == 404
    assert client.get("/book/nobody/").status_code == 404


def test_page_with_a_chosen_slot_shows_the_form(client, page):
    first = list_free_slots(page=page)[0]

    response = client.get(_url(page), {"tz": "Asia/Tashkent", "slot": _value(first)})

    html = response.content.decode()
    assert 'name="name"' in html
    assert f'value="{_value(first)}"' in html
    assert "9 a.m." in html


def test_page_with_a_slot_no_longer_free_says_so(client, page):
    first = list_free_slots(page=page)[0]
    client.post(_url(page), _form(first))

    response = client.get(_url(page), {"tz": "Asia/Tashkent", "slot": _value(first)})

    html = response.content.decode()
    assert "This time is no longer free; please pick another one." in html
    assert 'name="name"' not in html


def test_booking_redirects_to_the_confirmation_in_the_customer_zone(client, page):
    first = list_free_slots(page=page)[0]

    response = client.post(_url(page), _form(first))

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("booking_public:booking", args=[booking_token(booking)])
    assert booking.customer_time_zone == "America/New_York"
    assert Activity.objects.get().due_at == first
    confirmation = client.get(response["Location"]).content.decode()
    assert "You are booked" in confirmation
    assert "(America/New_York)" in confirmation
    assert "We are sending a confirmation to aziza@example.com." in confirmation


def test_confirmation_without_consent_says_no_message_comes(client, page):
    first = list_free_slots(page=page)[0]

    response = client.post(_url(page), _form(first, consent=""), follow=True)

    assert "we send no confirmation" in response.content.decode()


def test_booking_a_taken_time_answers_409_and_offers_others(client, page):
    first, second = list_free_slots(page=page)[:2]
    client.post(_url(page), _form(first))

    response = client.post(_url(page), _form(first, email="other@example.com"))

    assert response.status_code == 409
    html = response.content.decode()
    assert "This time was just taken; please pick another one." in html
    assert _value(second).replace(":", "%3A") in html
    assert Booking.objects.count() == 1


def test_booking_without_email_or_phone_keeps_what_was_typed(client, page):
    first = list_free_slots(page=page)[0]

    response = client.post(_url(page), _form(first, email="", name="", note="Medovik, please"))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Give your email or phone, so we can confirm the time." in html
    assert "This field is required." in html
    assert "Medovik, please" in html
    assert Booking.objects.count() == 0
    assert Contact.objects.count() == 0


def test_booking_a_time_not_offered_is_refused(client, page):
    first = list_free_slots(page=page)[0]

    response = client.post(_url(page), _form(first + datetime.timedelta(minutes=7)))

    assert response.status_code == 400
    assert "This time is not offered; pick one of the times shown." in response.content.decode()
    assert Booking.objects.count() == 0


def test_booking_with_a_broken_slot_or_zone_is_refused(client, page):
    first = list_free_slots(page=page)[0]

    assert client.post(_url(page), _form(first, slot="tomorrow")).status_code == 400
    assert client.post(_url(page), _form(first, tz="Mars/Olympus")).status_code == 400
    assert Booking.objects.count() == 0


def test_customer_cancels_through_the_signed_link(client, page):
    first = list_free_slots(page=page)[0]
    client.post(_url(page), _form(first))
    booking = Booking.objects.get()
    cancel_url = reverse("booking_public:cancel", args=[booking_token(booking)])

    asked = client.get(cancel_url)
    response = client.post(cancel_url)

    assert "Yes, cancel it" in asked.content.decode()
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert Activity.objects.count() == 0
    assert "Booking cancelled" in client.get(response["Location"]).content.decode()


def test_forged_token_is_not_found(client, page):
    first = list_free_slots(page=page)[0]
    client.post(_url(page), _form(first))
    token = booking_token(Booking.objects.get())
    forged = re.sub(r".$", lambda m: "A" if m.group() != "A" else "B", token)

    assert client.get(reverse("booking_public:booking", args=[forged])).status_code == 404
    assert client.post(reverse("booking_public:cancel", args=[forged])).status_code == 404
    assert client.post(reverse("booking_public:cancel", args=["garbage"])).status_code == 404
    assert Booking.objects.get().status == BookingStatus.CONFIRMED


def test_calendar_file_has_the_booked_time_in_utc(client, page):
    first = list_free_slots(page=page)[0]
    client.post(_url(page), _form(first))
    token = booking_token(Booking.objects.get())

    response = client.get(reverse("booking_public:ics", args=[token]))

    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert f"DTSTART:{first:%Y%m%dT%H%M%S}Z" in body
    assert "SUMMARY:Cake consultation" in body


def test_booking_confirmation_goes_out_in_the_page_language(client, page):
    first = list_free_slots(page=page)[0]

    client.post(_url(page), _form(first), HTTP_ACCEPT_LANGUAGE="ru")

    booking = Booking.objects.get()
    assert booking.language == "ru"
    weekdays = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
    body = OutboundMessage.objects.get().body.lower()
    assert any(day in body for day in weekdays)


def test_booking_form_refuses_a_flood_from_one_address(client, page, monkeypatch):
    monkeypatch.setattr("hamkor.booking.views.public.POSTS_PER_MINUTE", 2)
    first = list_free_slots(page=page)[0]
    broken = _form(first, email="", name="")

    answers = [client.post(_url(page), broken).status_code for _ in range(2)]
    flooded = client.post(_url(page), _form(first))

    assert answers == [400, 400]
    assert flooded.status_code == 429
    assert "Too many tries from your address. Please wait a minute." in flooded.content.decode()
    assert Booking.objects.count() == 0
