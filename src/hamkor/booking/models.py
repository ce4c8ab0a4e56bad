"""Staff availability (weekly hours, days off), their booking pages, and customers' bookings."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hamkor.accounts.models import TeamOwned
from hamkor.contacts.models import Contact
from hamkor.core.models import TimeStampedModel


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Schedule(TimeStampedModel):
    """One staff member's availability; its row is the lock every booking of theirs takes.

    Hours are read in the user's time zone setting (the organisation's when unset).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="booking_schedule",
    )

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def time_zone(self) -> str:
        return str(getattr(self.user, "time_zone", "") or settings.TIME_ZONE)


class WorkingHours(models.Model):
    """One interval of a weekday (several per day allowed, never overlapping)."""

    schedule = models.ForeignKey(
        Schedule, verbose_name=_("availability"), on_delete=models.CASCADE, related_name="hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["weekday", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="booking_hours_start_before_end"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


class DayOff(models.Model):
    """Days (inclusive range, in the staff member's zone) when nobody can book them."""

    schedule = models.ForeignKey(
        Schedule, verbose_name=_("availability"), on_delete=models.CASCADE, related_name="days_off"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("day off")
        verbose_name_plural = _("days off")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=F("ends_on")), name="booking_day_off_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on}"

    def covers(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class MeetingType(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")


class BookingPage(TimeStampedModel):
    """What a customer can book with one staff member, at /book/<slug>/."""

    schedule = models.ForeignKey(
        Schedule, verbose_name=_("availability"), on_delete=models.CASCADE, related_name="pages"
    )
    slug = models.SlugField(
        _("address"),
        max_length=80,
        unique=True,
        help_text=_("The page is at /book/<address>/; letters, digits and hyphens."),
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    meeting_type = models.CharField(
        _("kind of meeting"),
        max_length=16,
        choices=MeetingType.choices,
        default=MeetingType.IN_PERSON,
    )
    location = models.CharField(
        _("location"),
        max_length=200,
        blank=True,
        help_text=_("An address, a phone number or a video link; shown after booking."),
    )
    duration_minutes = models.PositiveIntegerField(
        _("meeting length (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(8 * 60)],
    )
    slot_step_minutes = models.PositiveIntegerField(
        _("a start every (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(8 * 60)],
    )
    buffer_before_minutes = models.PositiveIntegerField(
        _("free time before (minutes)"), default=0, validators=[MaxValueValidator(240)]
    )
    buffer_after_minutes = models.PositiveIntegerField(
        _("free time after (minutes)"), default=0, validators=[MaxValueValidator(240)]
    )
    min_notice_minutes = models.PositiveIntegerField(
        _("minimum notice (minutes)"),
        default=120,
        validators=[MaxValueValidator(60 * 24 * 60)],
        help_text=_("How long before the start a customer can still book."),
    )
    days_ahead = models.PositiveIntegerField(
        _("days ahead"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("How many days into the future customers can book."),
    )
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("booking page")
        verbose_name_plural = _("booking pages")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class CancelledBy(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    STAFF = "staff", _("Staff")


class ConfirmChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class Booking(TimeStampedModel, TeamOwned):
    """A customer's appointment; owner is the staff member, the activity sits in their calendar."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    page = models.ForeignKey(
        BookingPage,
        verbose_name=_("booking page"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="bookings"
    )
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    # As the customer gave them: the contact may already have other details on record.
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    channel = models.CharField(_("confirmation by"), max_length=16, choices=ConfirmChannel.choices)
    # False: the outbox holds the confirmation back (no consent for the channel on record).
    confirmation_queued = models.BooleanField(_("confirmation queued"), default=False)
    customer_time_zone = models.CharField(_("customer's time zone"), max_length=64)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.CharField(
        _("cancelled by"), max_length=16, choices=CancelledBy.choices, blank=True
    )

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="booking_booking_start_before_end"
            ),
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""), name="booking_booking_has_address"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "starts_at"], name="booking_owner_start"),
            models.Index(fields=["team", "starts_at"], name="booking_team_start"),
            models.Index(fields=["page", "starts_at"], name="booking_page_start"),
        ]

    def __str__(self) -> str:
        return f"{self.page} @ {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == BookingStatus.CANCELLED
