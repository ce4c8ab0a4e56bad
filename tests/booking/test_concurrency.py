"""Several customers race for one slot on PostgreSQL: exactly one gets it."""

import pytest
from django.db import connection
from django.test import Client

from hamkor.activities.models import Activity
from hamkor.booking.models import Booking
from hamkor.booking.selectors import list_free_slots
from hamkor.booking.services import CustomerDetails, SlotTaken, book_slot
from tests.booking.conftest import SITE
from tests.races import race

RACERS = 6


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_booking_one_slot_at_once_gives_it_to_exactly_one(page):
    if connection.vendor != "postgresql":
        # The SQLite pass skips it; the PostgreSQL pass (required in CI) runs it.
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")
    start = list_free_slots(page=page)[0]

    def book(index):
        customer = CustomerDetails(
            name=f"Customer {index}", email=f"c{index}@example.com", consent=True
        )
        return book_slot(page=page, start=start, customer=customer, site_url=SITE)

    won, taken, failed = race(book, RACERS, expected=(SlotTaken,))

    assert failed == []
    assert len(won) == 1
    assert len(taken) == RACERS - 1
    assert Booking.objects.count() == 1
    assert Activity.objects.filter(due_at=start).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_posting_one_slot_at_once_answers_one_booking_and_409s(page):
    if connection.vendor != "postgresql":
        # The SQLite pass skips it; the PostgreSQL pass (required in CI) runs it.
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")
    start = list_free_slots(page=page)[0]

    def post(index):
        response = Client().post(
            "/book/cakes/",
            {
                "slot": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "tz": "Europe/Berlin",
                "name": f"Customer {index}",
                "email": f"c{index}@example.com",
                "channel": "email",
            },
        )
        return response.status_code, response.content.decode()

    answers, _refused, _failed = race(post, RACERS)

    statuses = sorted(status for status, _html in answers)
    assert statuses == [302] + [409] * (RACERS - 1)
    refused = [html for status, html in answers if status == 409]
    assert all("This time was just taken; please pick another one." in html for html in refused)
    assert Booking.objects.count() == 1
