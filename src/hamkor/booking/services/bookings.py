"""A customer books a slot (exactly once, even under concurrent requests), or cancels it.

Two customers racing for one slot: each request locks the staff member's schedule row
(SELECT ... FOR UPDATE on PostgreSQL; SQLite runs one writer at a time), then checks the
slot again against the activities committed so far. The second one finds the first one's
meeting and gets ``SlotTaken``.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamkor.accounts.models import User
from hamkor.activities.models import Activity, ActivityKind
from hamkor.activities.services.activities import delete_activity, plan_activity
from hamkor.activities.services.notifications import notify_users
from hamkor.booking.models import (
    Booking,
    BookingPage,
    BookingStatus,
    CancelledBy,
    ConfirmChannel,
    Schedule,
)
from hamkor.booking.selectors import (
    booking_token,
    get_daily_hours,
    list_busy,
    list_days_off,
    page_rules,
    staff_zone,
)
from hamkor.booking.slots import candidate_slots, is_free, parse_zone
from hamkor.contacts.models import ConsentMethod, Contact, Stage
from hamkor.contacts.services import ContactInput, EmailInput, PhoneInput, create_contact
from hamkor.contacts.services.consent import record_consent
from hamkor.core.audit import record_event
from hamkor.core.locking import lock_rows
from hamkor.core.phones import normalize_phone
from hamkor.messaging.models import Kind
from hamkor.messaging.models import Status as MessageStatus
from hamkor.messaging.services.outbox import queue_message
from hamkor.sales.selectors.orders import find_contact_for_customer

# The booking page's checkbox; its wording is stored with the consent it records.
CONFIRMATION_CONSENT_TEXT = gettext_lazy(
    "I agree to get the confirmation and changes of this booking that way."
)


class SlotTaken(Exception):
    """Somebody booked the time (or the staff member filled it) since the page was shown."""

    def __init__(self) -> None:
        super().__init__(_("This time was just taken; please pick another one."))


@dataclass(frozen=True)
class CustomerDetails:
    """What the customer typed on the booking form."""

    name: str
    email: str = ""
    phone: str = ""
    note: str = ""
    # "email" or "sms"; empty: email when given, else SMS.
    channel: str = ""
    consent: bool = False
    time_zone: str = ""
    language: str = ""


def clean_customer(details: CustomerDetails) -> CustomerDetails:
    """Normalised details; a ValidationError lists every field to fix."""
    errors: dict[str, str] = {}
    name = " ".join(details.name.split())
    if not name:
        errors["name"] = _("Tell us your name.")
    email = details.email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("“%(value)s” is not a valid email address.") % {"value": email}
    phone = details.phone.strip()
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError as error:
            errors["phone"] = " ".join(error.messages)
    if not email and not phone and "email" not in errors and "phone" not in errors:
        errors["email"] = _("Give your email or phone, so we can confirm the time.")
    channel = details.channel or (ConfirmChannel.EMAIL if email else ConfirmChannel.SMS)
    if channel not in ConfirmChannel.values:
        errors["channel"] = _("Choose email or SMS.")
    elif channel == ConfirmChannel.EMAIL and not email and "email" not in errors:
        errors["email"] = _("Give your email to get the confirmation by email.")
    elif channel == ConfirmChannel.SMS and not phone and "phone" not in errors:
        errors["phone"] = _("Give your phone to get the confirmation by SMS.")
    zone = details.time_zone or settings.TIME_ZONE
    try:
        parse_zone(zone)
    except ValidationError as error:
        errors.update({key: " ".join(value) for key, value in error.message_dict.items()})
    language = details.language if details.language in dict(settings.LANGUAGES) else ""
    if errors:
        raise ValidationError(errors)
    return replace(
        details,
        name=name[:200],
        email=email,
        phone=phone,
        note=details.note.strip(),
        channel=channel,
        time_zone=zone,
        language=language or settings.LANGUAGE_CODE,
    )


def is_offered(*, page: BookingPage, start: datetime.datetime, now: datetime.datetime) -> bool:
    """Whether the page offers this start at all (hours, days off, notice, horizon)."""
    schedule = page.schedule
    candidates = candidate_slots(
        rules=page_rules(page),
        zone=staff_zone(schedule),
        hours=get_daily_hours(schedule=schedule),
        days_off=list_days_off(schedule=schedule),
        now=now,
    )
    return start in set(candidates)


def _contact_for(*, customer: CustomerDetails, staff: User) -> Contact:
    # A public page acts for the whole organisation: a customer is matched among all
    # contacts (as the web shop is with a manager's token), else becomes the staff's lead.
    everyone = User(is_superuser=True)
    contact = find_contact_for_customer(viewer=everyone, phone=customer.phone, email=customer.email)
    if contact is not None:
        return contact
    first, _space, last = customer.name.partition(" ")
    return create_contact(
        data=ContactInput(
            values={
                "first_name": first[:100],
                "last_name": last[:100],
                "stage": Stage.LEAD,
                "language": customer.language,
                "time_zone": customer.time_zone,
                "owner": staff,
            },
            phones=[PhoneInput(number=customer.phone)] if customer.phone else [],
            emails=[EmailInput(email=customer.email)] if customer.email else [],
        ),
        actor=staff,
    )


def describe_time(moment: datetime.datetime, zone_name: str) -> str:
    """'Friday, Dec. 5, 2026, 11 p.m. (America/New_York)' in the active language."""
    local = moment.astimezone(zoneinfo.ZoneInfo(zone_name))
    return _("%(weekday)s, %(date)s, %(time)s (%(zone)s)") % {
        "weekday": formats.date_format(local, "l"),
        "date": formats.date_format(local, "DATE_FORMAT"),
        "time": formats.time_format(local, "TIME_FORMAT"),
        "zone": zone_name,
    }


def customer_link(booking: Booking, *, site_url: str) -> str:
    """The customer's page of the booking (details, cancel, calendar file)."""
    path = reverse("booking_public:booking", args=[booking_token(booking)])
    return site_url.rstrip("/") + path


def _staff_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _confirmation_text(booking: Booking, *, link: str) -> tuple[str, str]:
    page = booking.page
    when = describe_time(booking.starts_at, booking.customer_time_zone)
    subject = _("Your appointment: %(when)s") % {"when": when}
    lines = [
        _("Hello %(name)s,") % {"name": booking.name},
        _("your appointment “%(title)s” with %(staff)s is booked for %(when)s.")
        % {"title": page.title, "staff": _staff_name(page.schedule.user), "when": when},
    ]
    if page.location:
        lines.append(_("Where: %(location)s") % {"location": page.location})
    lines.append(_("To see or cancel it, open %(link)s") % {"link": link})
    return subject, "\n".join(lines)


def _cancellation_text(booking: Booking, *, link: str) -> tuple[str, str]:
    when = describe_time(booking.starts_at, booking.customer_time_zone)
    subject = _("Your appointment was cancelled: %(when)s") % {"when": when}
    lines = [
        _("Hello %(name)s,") % {"name": booking.name},
        _("we are sorry: your appointment “%(title)s” on %(when)s was cancelled.")
        % {"title": booking.page.title, "when": when},
        _("Book another time at %(link)s") % {"link": link},
    ]
    return subject, "\n".join(lines)


def _address(booking: Booking) -> str:
    return booking.email if booking.channel == ConfirmChannel.EMAIL else booking.phone


def _notify_staff(booking: Booking, *, kind: str) -> None:
    staff = booking.page.schedule.user
    with (
        translation.override(staff.language or settings.LANGUAGE_CODE),
        timezone.override(staff_zone(booking.page.schedule)),
    ):
        when = describe_time(booking.starts_at, str(staff_zone(booking.page.schedule)))
        if kind == "booked":
            title = _("New booking: %(name)s, %(when)s") % {"name": booking.name, "when": when}
        else:
            title = _("%(name)s cancelled the booking of %(when)s") % {
                "name": booking.name,
                "when": when,
            }
        body = booking.page.title
    notify_users(
        users=[staff],
        kind=f"booking_{kind}",
        title=title,
        body=body,
        url=reverse("booking:booking_list"),
        dedupe_key=f"booking:{booking.uuid}:{kind}",
    )


@transaction.atomic
def book_slot(
    *,
    page: BookingPage,
    start: datetime.datetime,
    customer: CustomerDetails,
    site_url: str,
    now: datetime.datetime | None = None,
) -> Booking:
    """Book ``start`` on a published page for the customer: contact, meeting, confirmation.

    Raises ValidationError for bad details or a time the page does not offer, and SlotTaken
    when the time is no longer free (checked again under the schedule's row lock).
    """
    now = now or timezone.now()
    customer = clean_customer(customer)
    if not page.is_published:
        raise ValidationError(_("This booking page is not open for bookings."))
    start = start.astimezone(datetime.UTC)
    if not is_offered(page=page, start=start, now=now):
        raise ValidationError({"slot": _("This time is not offered; pick one of the times shown.")})
    rules = page_rules(page)
    schedule = lock_rows(Schedule, page.schedule_id)[page.schedule_id]
    schedule.user = page.schedule.user
    gap = max(rules.buffer_before, rules.buffer_after)
    busy = list_busy(schedule=schedule, start=start - gap, end=start + rules.duration + gap)
    if not is_free(start, rules=rules, busy=busy):
        raise SlotTaken
    staff = schedule.user
    contact = _contact_for(customer=customer, staff=staff)
    if customer.consent:
        with translation.override(customer.language or None):
            wording = str(CONFIRMATION_CONSENT_TEXT)
        # The confirmation and changes of the booking are service messages.
        record_consent(
            contact=contact,
            channel=customer.channel,
            granted=True,
            method=ConsentMethod.WEB_FORM,
            actor=None,
            note=_("Booking page %(slug)s") % {"slug": page.slug},
            purpose="service",
            text_shown=wording,
            source=f"booking:{page.slug}",
        )
    activity = plan_activity(
        actor=staff,
        owner=staff,
        contact=contact,
        values={
            "kind": ActivityKind.MEETING,
            "subject": f"{page.title}: {customer.name}"[:200],
            "due_at": start,
            "duration_minutes": page.duration_minutes,
            "location": page.location[:200],
            "note": customer.note,
        },
    )
    booking = Booking(
        page=page,
        contact=contact,
        activity=activity,
        owner=staff,
        team_id=staff.team_id,
        starts_at=start,
        ends_at=start + rules.duration,
        name=customer.name,
        email=customer.email,
        phone=customer.phone,
        note=customer.note,
        channel=customer.channel,
        customer_time_zone=customer.time_zone,
        language=customer.language,
    )
    booking.full_clean()
    booking.save()
    record_event(
        actor=None,
        verb="booking.created",
        target=booking,
        data={"page": page.slug, "starts_at": start.isoformat(), "contact": contact.pk},
    )
    if customer.consent:
        # Without the tick the customer said no to messages that way: nothing is sent.
        with translation.override(booking.language):
            subject, body = _confirmation_text(
                booking, link=customer_link(booking, site_url=site_url)
            )
        message = queue_message(
            channel=booking.channel,
            contact=contact,
            to_address=_address(booking),
            kind=Kind.TRANSACTIONAL,
            subject=subject,
            body=body,
            idempotency_key=f"booking:{booking.uuid}:confirmed",
        )
        booking.confirmation_queued = message.status != MessageStatus.BLOCKED
        booking.save(update_fields=["confirmation_queued"])
    _notify_staff(booking, kind="booked")
    return booking


@transaction.atomic
def cancel_booking(
    *,
    booking: Booking,
    by: str,
    site_url: str,
    actor: User | None = None,
    now: datetime.datetime | None = None,
) -> Booking:
    """Cancel an upcoming booking and take the meeting out of the staff member's calendar.

    Staff cancelling: the customer is told on their channel. The customer cancelling: the
    staff member gets a notification.
    """
    now = now or timezone.now()
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("page__schedule__user", "contact")
        .get(pk=booking.pk)
    )
    if booking.status == BookingStatus.CANCELLED:
        raise ValidationError(_("This booking is already cancelled."))
    if booking.starts_at <= now:
        raise ValidationError(_("This appointment has already started; it cannot be cancelled."))
    if by not in CancelledBy.values:
        raise ValidationError(_("Say who cancels: the customer or staff."))
    staff = booking.page.schedule.user
    activity_id = booking.activity_id
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.cancelled_by = by
    booking.activity = None
    booking.full_clean()
    booking.save()
    if activity_id is not None:
        activity = Activity.objects.filter(pk=activity_id).first()
        if activity is not None:
            delete_activity(activity=activity, actor=actor or staff)
    record_event(actor=actor, verb="booking.cancelled", target=booking, data={"by": by})
    if by == CancelledBy.STAFF:
        page_link = site_url.rstrip("/") + reverse("booking_public:page", args=[booking.page.slug])
        with translation.override(booking.language):
            subject, body = _cancellation_text(booking, link=page_link)
        queue_message(
            channel=booking.channel,
            contact=booking.contact,
            to_address=_address(booking),
            kind=Kind.TRANSACTIONAL,
            subject=subject,
            body=body,
            idempotency_key=f"booking:{booking.uuid}:cancelled",
            actor=actor,
        )
    else:
        _notify_staff(booking, kind="cancelled")
    return booking
