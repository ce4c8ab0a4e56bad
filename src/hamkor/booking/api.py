"""REST API of booking: pages, free slots in a customer's zone, booking (409 when taken)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from hamkor.booking.models import Booking, BookingPage
from hamkor.booking.schemas import (
    BookingFilterIn,
    BookingIn,
    BookingOut,
    PageOut,
    SlotOut,
    SlotsFilterIn,
    SlotsOut,
)
from hamkor.booking.selectors import (
    get_published_page,
    list_bookings,
    list_free_slots,
    list_pages,
)
from hamkor.booking.services import CustomerDetails, SlotTaken, book_slot
from hamkor.booking.slots import parse_zone
from hamkor.booking.views.common import site_url
from hamkor.contacts.api import viewer_of
from hamkor.contacts.schemas import READ_ERRORS, WRITE_ERRORS

router = Router(tags=["booking"])


def _page_out(page: BookingPage) -> dict[str, Any]:
    return {
        **{name: getattr(page, name) for name in PageOut.model_fields if hasattr(page, name)},
        "staff_id": page.schedule.user_id,
        "url": reverse("booking_public:page", args=[page.slug]),
    }


def _published(slug: str) -> BookingPage:
    try:
        return get_published_page(slug=slug)
    except BookingPage.DoesNotExist:
        raise Http404 from None


@router.get(
    "/pages",
    response={200: list[PageOut], **READ_ERRORS},
    summary="List booking pages",
    description="Your own pages; managers and admins get every page.",
)
def pages_view(request: HttpRequest) -> list[dict[str, Any]]:
    return [_page_out(page) for page in list_pages(viewer=viewer_of(request))]


@router.get(
    "/pages/{slug}/slots",
    response={200: SlotsOut, **READ_ERRORS},
    summary="Free slots of a published page",
    description="Starts a customer may book, in their zone (`tz`), for days `start`..`end`.",
)
def slots_view(request: HttpRequest, slug: str, filters: Query[SlotsFilterIn]) -> dict[str, Any]:
    page = _published(slug)
    zone = parse_zone(filters.tz or settings.TIME_ZONE)
    if filters.start and filters.end and filters.end < filters.start:
        raise ValidationError({"end": _("The last day comes before the first one.")})
    length = datetime.timedelta(minutes=page.duration_minutes)
    slots = []
    for start in list_free_slots(page=page):
        local = start.astimezone(zone)
        if filters.start and local.date() < filters.start:
            continue
        if filters.end and local.date() > filters.end:
            continue
        slots.append(SlotOut(start=local, end=local + length))
    return {"tz": str(zone.key), "slots": slots}


@router.post(
    "/pages/{slug}/bookings",
    response={201: BookingOut, **WRITE_ERRORS},
    summary="Book a slot",
    description="Same rules as the public page: a time not offered is 422, one just taken 409.",
)
def book_view(request: HttpRequest, slug: str, payload: BookingIn) -> Status[Booking]:
    page = _published(slug)
    if payload.start.tzinfo is None:
        raise ValidationError({"start": _("Give the start with its UTC offset.")})
    details = CustomerDetails(
        name=payload.name,
        email=payload.email,
        phone=payload.phone,
        note=payload.note,
        channel=payload.channel,
        consent=payload.consent,
        time_zone=payload.tz,
        language=payload.language,
    )
    try:
        booking = book_slot(
            page=page, start=payload.start, customer=details, site_url=site_url(request)
        )
    except SlotTaken as error:
        raise HttpError(409, str(error)) from None
    return Status(201, booking)


@router.get(
    "/bookings",
    response={200: list[BookingOut], **READ_ERRORS},
    summary="List bookings",
    description="Upcoming bookings you may see (yours, your team's; all for managers).",
)
def bookings_view(request: HttpRequest, filters: Query[BookingFilterIn]) -> list[Booking]:
    return list(
        list_bookings(
            viewer=viewer_of(request),
            start=filters.start or timezone.now(),
            status=filters.status,
            owner_id=filters.owner_id,
        )[:500]
    )
