"""Staff pages: availability (hours, days off, booking pages) and the upcoming bookings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamkor.accounts.models import User
from hamkor.accounts.selectors import list_assignable_users
from hamkor.accounts.views import AuthedRequest
from hamkor.booking.forms import DayOffForm, HoursForm, PageForm, format_intervals
from hamkor.booking.models import Booking, BookingPage, DayOff, Schedule
from hamkor.booking.selectors import (
    get_booking,
    get_daily_hours,
    get_page,
    list_bookings,
    list_schedule_pages,
    may_edit_schedule,
    staff_zone,
)
from hamkor.booking.services import (
    add_day_off,
    cancel_booking,
    ensure_schedule,
    remove_day_off,
    save_booking_page,
    set_working_hours,
)
from hamkor.booking.views.common import add_errors, site_url


def _schedule(request: AuthedRequest, user_id: int | None) -> Schedule:
    """The schedule to edit: the viewer's own, or a colleague's for managers (else 404)."""
    if user_id is None or user_id == request.user.pk:
        return ensure_schedule(user=request.user)
    if not request.user.sees_everything:
        raise Http404
    try:
        user = User.objects.get(pk=user_id, is_active=True)
    except User.DoesNotExist:
        raise Http404 from None
    schedule = ensure_schedule(user=user)
    if not may_edit_schedule(viewer=request.user, schedule=schedule):
        raise Http404
    return schedule


def _availability_url(schedule: Schedule, request: AuthedRequest) -> str:
    if schedule.user_id == request.user.pk:
        return reverse("booking:availability")
    return reverse("booking:availability_for", args=[schedule.user_id])


def _render_availability(
    request: AuthedRequest,
    schedule: Schedule,
    *,
    hours_form: HoursForm | None = None,
    day_off_form: DayOffForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if hours_form is None:
        daily = get_daily_hours(schedule=schedule)
        hours_form = HoursForm(
            initial={f"day_{day}": format_intervals(list(items)) for day, items in daily.items()}
        )
    context = {
        "schedule": schedule,
        "staff": schedule.user,
        "zone_name": str(staff_zone(schedule).key),
        "hours_form": hours_form,
        "day_off_form": day_off_form or DayOffForm(),
        "days_off": schedule.days_off.order_by("starts_on", "id"),
        "pages": list_schedule_pages(schedule=schedule),
        "colleagues": list_assignable_users(viewer=request.user)
        if request.user.sees_everything
        else [],
        "base_url": _availability_url(schedule, request),
    }
    return render(request, "booking/availability.html", context, status=status)


@login_required
@require_GET
def availability(request: AuthedRequest, user_id: int | None = None) -> HttpResponse:
    """Weekly hours, days off and booking pages of one staff member."""
    if "user" in request.GET and request.user.sees_everything:
        try:
            return redirect("booking:availability_for", user_id=int(request.GET["user"]))
        except ValueError:
            raise Http404 from None
    return _render_availability(request, _schedule(request, user_id))


@login_required
@require_POST
def save_hours(request: AuthedRequest, user_id: int | None = None) -> HttpResponse:
    schedule = _schedule(request, user_id)
    form = HoursForm(request.POST)
    if form.is_valid():
        try:
            set_working_hours(
                schedule=schedule, actor=request.user, hours=form.cleaned_data["hours"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Working hours saved."))
            return redirect(_availability_url(schedule, request))
    return _render_availability(request, schedule, hours_form=form, status=400)


@login_required
@require_POST
def add_days_off(request: AuthedRequest, user_id: int | None = None) -> HttpResponse:
    schedule = _schedule(request, user_id)
    form = DayOffForm(request.POST)
    if form.is_valid():
        try:
            add_day_off(
                schedule=schedule,
                actor=request.user,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Days off added."))
            return redirect(_availability_url(schedule, request))
    return _render_availability(request, schedule, day_off_form=form, status=400)


@login_required
@require_POST
def delete_day_off(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        day_off = DayOff.objects.select_related("schedule__user").get(pk=pk)
    except DayOff.DoesNotExist:
        raise Http404 from None
    if not may_edit_schedule(viewer=request.user, schedule=day_off.schedule):
        raise Http404
    remove_day_off(day_off=day_off, actor=request.user)
    messages.success(request, _("Days off removed."))
    return redirect(_availability_url(day_off.schedule, request))


def _page_form_response(
    request: AuthedRequest, schedule: Schedule, form: PageForm, page: BookingPage | None
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            save_booking_page(schedule=schedule, actor=request.user, values=values, page=page)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Booking page saved."))
            return redirect(_availability_url(schedule, request))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "page": page, "staff": schedule.user, "schedule": schedule}
    return render(request, "booking/page_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def page_new(request: AuthedRequest, user_id: int | None = None) -> HttpResponse:
    schedule = _schedule(request, user_id)
    form = PageForm(request.POST or None)
    return _page_form_response(request, schedule, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def page_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        page = get_page(viewer=request.user, pk=pk)
    except BookingPage.DoesNotExist:
        raise Http404 from None
    # A bound ModelForm writes into its instance while validating: give it a copy.
    form = PageForm(request.POST or None, instance=get_page(viewer=request.user, pk=pk))
    return _page_form_response(request, page.schedule, form, page)


@login_required
@require_GET
def booking_list(request: AuthedRequest) -> HttpResponse:
    """Upcoming confirmed bookings the viewer may see, soonest first."""
    bookings = list(list_bookings(viewer=request.user)[:200])
    return render(request, "booking/booking_list.html", {"bookings": bookings})


@login_required
@require_POST
def booking_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    """Staff cancel a booking; the customer is told on their channel."""
    try:
        booking = get_booking(viewer=request.user, pk=pk)
    except Booking.DoesNotExist:
        raise Http404 from None
    try:
        cancel_booking(booking=booking, by="staff", actor=request.user, site_url=site_url(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Booking cancelled; the customer is told."))
    return redirect("booking:booking_list")
