import datetime

import factory

from hamkor.booking.models import BookingPage, DayOff, Schedule, WorkingHours
from tests.accounts.factories import UserFactory


class ScheduleFactory(factory.django.DjangoModelFactory):
    """A staff member in Tashkent (UTC+5 all year, no daylight saving)."""

    class Meta:
        model = Schedule
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory, time_zone="Asia/Tashkent")


class WorkingHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingHours

    schedule = factory.SubFactory(ScheduleFactory)
    weekday = 0
    starts_at = datetime.time(9)
    ends_at = datetime.time(12)


class DayOffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DayOff

    schedule = factory.SubFactory(ScheduleFactory)
    starts_on = factory.LazyFunction(datetime.date.today)
    ends_on = factory.LazyAttribute(lambda o: o.starts_on)


class BookingPageFactory(factory.django.DjangoModelFactory):
    """A published 30-minute consultation, a start every 30 minutes, no notice needed."""

    class Meta:
        model = BookingPage

    schedule = factory.SubFactory(ScheduleFactory)
    slug = factory.Sequence(lambda n: f"consultation-{n}")
    title = "Cake consultation"
    location = "Amir Temur 1, Tashkent"
    duration_minutes = 30
    slot_step_minutes = 30
    buffer_before_minutes = 0
    buffer_after_minutes = 0
    min_notice_minutes = 0
    days_ahead = 14
    is_published = True


def work_every_day(schedule, start=datetime.time(9), end=datetime.time(12)):
    """Give the schedule the same hours on all seven weekdays."""
    for weekday in range(7):
        WorkingHoursFactory(schedule=schedule, weekday=weekday, starts_at=start, ends_at=end)
