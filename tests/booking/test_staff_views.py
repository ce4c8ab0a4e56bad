"""Staff pages: availability, booking pages, upcoming bookings and cancelling one."""

import pytest
from django.urls import reverse

from hamkor.accounts.models import Role
from hamkor.activities.models import Activity
from hamkor.booking.models import Booking, BookingPage, BookingStatus
from hamkor.booking.selectors import list_free_slots
from hamkor.booking.services import CustomerDetails, book_slot
from hamkor.messaging.models import OutboundMessage
from tests.accounts.factories import TeamFactory, UserFactory
from tests.booking.conftest import SITE
from tests.booking.factories import BookingPageFactory, ScheduleFactory

pytestmark = pytest.mark.django_db


def _hours(**days):
    data = {f"day_{day}": "" for day in range(7)}
    data.update(days)
    return data


def test_availability_page_opens_for_the_staff_member(client, schedule):
    client.force_login(schedule.user)

    response = client.get(reverse("booking:availability"))

    assert response.status_code == 200
    assert "09:00-12:00" in response.content.decode()
    assert "Asia/Tashkent" in response.content.decode()


def test_save_hours_with_two_intervals_a_day(client, schedule):
    client.force_login(schedule.user)

    response = client.post(
        reverse("booking:save_hours"), _hours(day_0="09:00-13:00, 14:00-18:00", day_5="10:00-14:00")
    )

    assert response.status_code == 302
    rows = [(h.weekday, f"{h.starts_at:%H:%M}", f"{h.ends_at:%H:%M}") for h in schedule.hours.all()]
    assert rows == [(0, "09:00", "13:00"), (0, "14:00", "18:00"), (5, "10:00", "14:00")]


def test_save_hours_shows_the_error_beside_the_day(client, schedule):
    client.force_login(schedule.user)

    response = client.post(reverse("booking:save_hours"), _hours(day_1="nine to five"))

    assert response.status_code == 400
    html = response.content.decode()
    assert "“nine to five” is not an interval" in html
    assert 'value="nine to five"' in html
    assert schedule.hours.count() == 7


def test_a_colleague_cannot_edit_someone_elses_availability(client, schedule):
    client.force_login(UserFactory(role=Role.SALES, team=schedule.user.team))

    url = reverse("booking:save_hours_for", args=[schedule.user_id])

    assert (
        client.get(reverse("booking:availability_for", args=[schedule.user_id])).status_code == 404
    )
    assert client.post(url, _hours()).status_code == 404
    assert schedule.hours.count() == 7


def test_a_manager_edits_a_staff_members_availability(client, schedule):
    client.force_login(UserFactory(role=Role.MANAGER))

    response = client.post(
        reverse("booking:save_hours_for", args=[schedule.user_id]), _hours(day_2="10:00-11:00")
    )

    assert response.status_code == 302
    assert schedule.hours.count() == 1


def test_days_off_are_added_and_removed(client, schedule):
    client.force_login(schedule.user)

    client.post(
        reverse("booking:add_days_off"),
        {"starts_on": "2030-01-20", "ends_on": "2030-01-25", "note": "Holiday"},
    )
    day_off = schedule.days_off.get()
    client.post(reverse("booking:delete_day_off", args=[day_off.pk]))

    assert (str(day_off.starts_on), str(day_off.ends_on)) == ("2030-01-20", "2030-01-25")
    assert schedule.days_off.count() == 0


def test_day_off_ending_before_it_starts_is_refused(client, schedule):
    client.force_login(schedule.user)

    response = client.post(
        reverse("booking:add_days_off"), {"starts_on": "2030-01-20", "ends_on": "2030-01-10"}
    )

    assert response.status_code == 400
    assert "The last day off comes before the first one." in response.content.decode()


def test_create_a_booking_page(client, schedule):
    client.force_login(schedule.user)

    response = client.post(
        reverse("booking:page_new"),
        {
            "slug": "Consult",
            "title": "Consultation",
            "description": "",
            "meeting_type": "video",
            "location": "https://meet.example/abc",
            "duration_minutes": "45",
            "slot_step_minutes": "15",
            "buffer_before_minutes": "0",
            "buffer_after_minutes": "10",
            "min_notice_minutes": "60",
            "days_ahead": "21",
            "is_published": "on",
        },
    )

    assert response.status_code == 302
    page = BookingPage.objects.get()
    assert (page.slug, page.schedule, page.duration_minutes) == ("consult", schedule, 45)


def test_booking_page_with_bad_numbers_shows_errors(client, page):
    client.force_login(page.schedule.user)

    response = client.post(
        reverse("booking:page_edit", args=[page.pk]),
        {
            "slug": page.slug,
            "title": "X",
            "meeting_type": "phone",
            "duration_minutes": "1",
            "slot_step_minutes": "30",
            "buffer_before_minutes": "0",
            "buffer_after_minutes": "0",
            "min_notice_minutes": "0",
            "days_ahead": "0",
        },
    )

    assert response.status_code == 400
    page.refresh_from_db()
    assert page.title == "Cake consultation"


def test_others_cannot_open_a_booking_page_settings(client, page):
    client.force_login(UserFactory(role=Role.SALES))

    assert client.get(reverse("booking:page_edit", args=[page.pk])).status_code == 404


def _booking(page):
    start = list_free_slots(page=page)[0]
    customer = CustomerDetails(name="Aziza", email="aziza@example.com", consent=True)
    return book_slot(page=page, start=start, customer=customer, site_url=SITE)


def test_upcoming_bookings_list_is_scoped(client, page):
    _booking(page)
    other_team = UserFactory(role=Role.SALES, team=TeamFactory(name="Elsewhere"))
    client.force_login(page.schedule.user)
    mine = client.get(reverse("booking:booking_list")).content.decode()
    client.force_login(other_team)
    theirs = client.get(reverse("booking:booking_list")).content.decode()

    assert "Aziza" in mine
    assert "Aziza" not in theirs


def test_staff_cancel_a_booking_and_the_customer_is_told(client, page):
    booking = _booking(page)
    client.force_login(page.schedule.user)

    response = client.post(reverse("booking:booking_cancel", args=[booking.pk]))

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert Activity.objects.count() == 0
    assert OutboundMessage.objects.filter(idempotency_key__endswith=":cancelled").count() == 1


def test_a_stranger_cannot_cancel_a_booking(client, page):
    booking = _booking(page)
    client.force_login(UserFactory(role=Role.SALES, team=TeamFactory(name="Elsewhere")))

    assert client.post(reverse("booking:booking_cancel", args=[booking.pk])).status_code == 404
    assert Booking.objects.get().status == BookingStatus.CONFIRMED


def test_a_staff_member_without_hours_offers_no_times(client):
    schedule = ScheduleFactory()
    page = BookingPageFactory(schedule=schedule)

    response = client.get(reverse("booking_public:page", args=[page.slug]))

    assert "There are no free times in the coming days." in response.content.decode()
