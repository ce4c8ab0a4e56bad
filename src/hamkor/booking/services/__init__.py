"""Writes of the booking app: availability and pages, bookings and their cancellation."""

from hamkor.booking.services.availability import (
    PAGE_FIELDS,
    add_day_off,
    ensure_schedule,
    remove_day_off,
    save_booking_page,
    set_working_hours,
)
from hamkor.booking.services.bookings import (
    CustomerDetails,
    SlotTaken,
    book_slot,
    cancel_booking,
)

__all__ = [
    "PAGE_FIELDS",
    "CustomerDetails",
    "SlotTaken",
    "add_day_off",
    "book_slot",
    "cancel_booking",
    "ensure_schedule",
    "remove_day_off",
    "save_booking_page",
    "set_working_hours",
]
