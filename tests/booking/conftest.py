import datetime

import pytest

from tests.booking.factories import BookingPageFactory, ScheduleFactory, work_every_day

# A Monday far enough ahead that every test's slots are in the future: 06:00 in Tashkent.
NOW = datetime.datetime(2030, 1, 14, 1, 0, tzinfo=datetime.UTC)
SITE = "https://crm.example.uz"


@pytest.fixture
def schedule(db):
    """Staff in Tashkent working 09:00-12:00 every day."""
    schedule = ScheduleFactory()
    work_every_day(schedule)
    return schedule


@pytest.fixture
def page(schedule):
    return BookingPageFactory(schedule=schedule, slug="cakes")
