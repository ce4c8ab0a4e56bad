"""The public booking page: free slots in the customer's zone, the form, the booking's page.

No login: the booking's own page is reached only through its signed token.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hamkor.booking.forms import BookingForm, zone_choices
from hamkor.booking.ical import booking_calendar
from hamkor.booking.models import Booking, BookingPage
from hamkor.booking.selectors import (
    booking_token,
    get_booking_by_token,
    get_published_page,
    list_free_slots,
)
from hamkor.booking.services import CustomerDetails, SlotTaken, book_slot, cancel_booking
from hamkor.booking.slots import group_by_local_day, parse_zone
from hamkor.booking.views.common import add_errors, site_url
from hamkor.webforms.services.ratelimit import hit_rate_limit

# Posts of the booking form per client address and minute: enough for a person correcting a
# typo, not for a script filling the calendar.
POSTS_PER_MINUTE = 10


def _zone(raw: str | None) -> tuple[zoneinfo.ZoneInfo, str]:
    """The customer's zone (the organisation's by default) and an error for a bad name."""
    if raw:
        try:
            return parse_zone(raw), ""
        except ValidationError as error:
            return zoneinfo.ZoneInfo(settings.TIME_ZONE), " ".join(error.messages)
    return zoneinfo.ZoneInfo(settings.TIME_ZONE), ""


def _parse_day(raw: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _parse_slot(raw: str | None) -> datetime.datetime | None:
    try:
        value = datetime.datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return None
    return value.astimezone(datetime.UTC) if value and value.tzinfo else None


def _page(slug: str) -> BookingPage:
    try:
        return get_published_page(slug=slug)
    except BookingPage.DoesNotExist:
        raise Http404 from None


def _slot_value(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _render_page(
    request: HttpRequest,
    page: BookingPage,
    *,
    zone: zoneinfo.ZoneInfo,
    zone_error: str = "",
    form: BookingForm | None = None,
    chosen: datetime.datetime | None = None,
    taken: str = "",
    status: int = 200,
) -> HttpResponse:
    slots = list_free_slots(page=page)
    days = group_by_local_day(slots, zone)
    wanted_day = _parse_day(request.GET.get("day"))
    if chosen is not None and chosen not in slots:
        chosen = None
        if form is None and not taken:
            taken = _("This time is no longer free; please pick another one.")
    if chosen is not None:
        wanted_day = chosen.astimezone(zone).date()
    day = wanted_day if wanted_day in days else next(iter(days), None)
    zone_name = str(zone.key)
    # A time no longer on offer: its errors go above the times, whose form is not shown.
    problems = (
        [*form.non_field_errors(), *form.errors.get("slot", [])]
        if form is not None and chosen is None
        else []
    )
    if chosen is not None and form is None:
        form = BookingForm(initial={"slot": _slot_value(chosen), "tz": zone_name})
    context: dict[str, Any] = {
        "page": page,
        "staff": page.schedule.user,
        "zone_name": zone_name,
        "zone_error": zone_error,
        "zone_choices": zone_choices(zone_name),
        "days": [
            {
                "date": date,
                "count": len(items),
                "query": urlencode({"tz": zone_name, "day": date.isoformat()}),
            }
            for date, items in days.items()
        ],
        "day": day,
        "times": [
            {
                "local": moment,
                "query": urlencode(
                    {"tz": zone_name, "day": day.isoformat(), "slot": _slot_value(moment)}
                ),
            }
            for moment in days.get(day, [])
        ]
        if day
        else [],
        "chosen": chosen.astimezone(zone) if chosen else None,
        "form": form,
        "taken": taken,
        "problems": problems,
        "back_query": urlencode({"tz": zone_name, "day": day.isoformat() if day else ""}),
    }
    with timezone.override(zone):
        return render(request, "booking/public/page.html", context, status=status)


@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: free slots by day in the customer's zone (?tz=, ?day=, ?slot=); POST: book one."""
    booking_page = _page(slug)
    if request.method == "GET":
        zone, zone_error = _zone(request.GET.get("tz"))
        return _render_page(
            request,
            booking_page,
            zone=zone,
            zone_error=zone_error,
            chosen=_parse_slot(request.GET.get("slot")),
            status=400 if zone_error else 200,
        )
    form = BookingForm(request.POST)
    zone, zone_error = _zone(request.POST.get("tz"))
    client = request.META.get("REMOTE_ADDR", "")
    if hit_rate_limit(key=f"booking:{client}", limit=POSTS_PER_MINUTE):
        form.add_error(None, _("Too many tries from your address. Please wait a minute."))
        chosen = _parse_slot(request.POST.get("slot"))
        return _render_page(request, booking_page, zone=zone, form=form, chosen=chosen, status=429)
    if zone_error:
        form.add_error(None, zone_error)
    if not form.is_valid():
        chosen = _parse_slot(request.POST.get("slot"))
        return _render_page(request, booking_page, zone=zone, form=form, chosen=chosen, status=400)
    data = form.cleaned_data
    details = CustomerDetails(
        name=data["name"],
        email=data["email"],
        phone=data["phone"],
        note=data["note"],
        channel=data["channel"],
        consent=data["consent"],
        time_zone=str(zone.key),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    try:
        booking = book_slot(
            page=booking_page, start=data["slot"], customer=details, site_url=site_url(request)
        )
    except SlotTaken as error:
        return _render_page(request, booking_page, zone=zone, taken=str(error), status=409)
    except ValidationError as error:
        chosen = data["slot"]
        add_errors(form, error)
        return _render_page(request, booking_page, zone=zone, form=form, chosen=chosen, status=400)
    return redirect("booking_public:booking", token=booking_token(booking))


def _booking(token: str) -> Booking:
    try:
        return get_booking_by_token(token=token)
    except Booking.DoesNotExist:
        raise Http404 from None


def _render_booking(
    request: HttpRequest, booking: Booking, *, token: str, confirm: bool, error: str = ""
) -> HttpResponse:
    zone = zoneinfo.ZoneInfo(booking.customer_time_zone)
    context = {
        "booking": booking,
        "page": booking.page,
        "staff": booking.page.schedule.user,
        "token": token,
        "confirm_cancel": confirm,
        "error": error,
        "zone_name": booking.customer_time_zone,
        "can_cancel": not booking.is_cancelled and booking.starts_at > timezone.now(),
        "again_url": reverse("booking_public:page", args=[booking.page.slug])
        + "?"
        + urlencode({"tz": booking.customer_time_zone}),
    }
    with timezone.override(zone):
        return render(request, "booking/public/booking.html", context, status=400 if error else 200)


@require_GET
def booking(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation: what was booked, when in the customer's zone, cancel and .ics links."""
    return _render_booking(request, _booking(token), token=token, confirm=False)


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm; POST cancels and tells the staff member."""
    item = _booking(token)
    if request.method == "GET":
        return _render_booking(request, item, token=token, confirm=True)
    try:
        cancel_booking(booking=item, by="customer", site_url=site_url(request))
    except ValidationError as error:
        return _render_booking(
            request, item, token=token, confirm=False, error=" ".join(error.messages)
        )
    return redirect("booking_public:booking", token=token)


@require_GET
def ics(request: HttpRequest, token: str) -> HttpResponse:
    """The booking as a calendar file for the customer's own calendar."""
    item = _booking(token)
    response = HttpResponse(booking_calendar(item), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="booking.ics"'
    return response
