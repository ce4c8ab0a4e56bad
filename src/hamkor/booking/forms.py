"""Forms of the booking pages: the customer's booking form and the staff's availability."""

from __future__ import annotations

import datetime
import functools
import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamkor.booking.models import BookingPage, ConfirmChannel, Weekday
from hamkor.booking.services import PAGE_FIELDS
from hamkor.booking.services.bookings import CONFIRMATION_CONSENT_TEXT
from hamkor.booking.slots import known_zones

_INTERVAL = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*[-–—]\s*(\d{1,2})[:.](\d{2})\s*$")


@functools.cache
def _listed_zones() -> frozenset[str]:
    names = {
        name
        for name in known_zones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    }
    return frozenset({*names, "UTC"})


def zone_choices(extra: str = "") -> list[tuple[str, str]]:
    """Region/City zones (plus UTC, ours and ``extra``, e.g. an Etc/ zone) by name."""
    names = set(_listed_zones()) | {settings.TIME_ZONE}
    if extra and extra in known_zones():
        names.add(extra)
    return [(name, name.replace("_", " ")) for name in sorted(names)]


class BookingForm(forms.Form):
    """What the customer types to book the chosen slot."""

    slot = forms.CharField(widget=forms.HiddenInput)
    tz = forms.CharField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=200)
    email = forms.CharField(
        label=gettext_lazy("Email"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Phone"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    note = forms.CharField(
        label=gettext_lazy("Anything we should know? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Send the confirmation by"),
        choices=ConfirmChannel.choices,
        initial=ConfirmChannel.EMAIL,
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=CONFIRMATION_CONSENT_TEXT,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The service says the same; here it shows together with the form's other errors.
        given = cleaned.get("email") or cleaned.get("phone")
        if not given and not self.has_error("email") and not self.has_error("phone"):
            self.add_error("email", _("Give your email or phone, so we can confirm the time."))
        return cleaned

    def clean_slot(self) -> datetime.datetime:
        raw = self.cleaned_data["slot"]
        try:
            value = datetime.datetime.fromisoformat(raw)
        except ValueError:
            raise forms.ValidationError(_("Pick one of the times shown.")) from None
        if value.tzinfo is None:
            raise forms.ValidationError(_("Pick one of the times shown."))
        return value.astimezone(datetime.UTC)


def parse_intervals(text: str) -> list[tuple[datetime.time, datetime.time]]:
    """'09:00-13:00, 14:00-18:00' as time pairs; a ValueError names the bad part."""
    intervals = []
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        match = _INTERVAL.match(part)
        if not match:
            raise ValueError(part)
        h1, m1, h2, m2 = (int(group) for group in match.groups())
        if h2 == 24 and m2 == 0:
            h2, m2 = 23, 59
        try:
            intervals.append((datetime.time(h1, m1), datetime.time(h2, m2)))
        except ValueError:
            raise ValueError(part) from None
    return intervals


def format_intervals(intervals: list[tuple[datetime.time, datetime.time]]) -> str:
    return ", ".join(f"{start:%H:%M}-{end:%H:%M}" for start, end in intervals)


class HoursForm(forms.Form):
    """One text box per weekday: '09:00-13:00, 14:00-18:00'; empty means not working."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for weekday in Weekday:
            self.fields[f"day_{weekday.value}"] = forms.CharField(
                label=weekday.label,
                required=False,
                max_length=200,
                widget=forms.TextInput(attrs={"placeholder": "09:00-13:00, 14:00-18:00"}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        hours: dict[int, list[tuple[datetime.time, datetime.time]]] = {}
        for weekday in Weekday:
            name = f"day_{weekday.value}"
            try:
                intervals = parse_intervals(cleaned.get(name, "") or "")
            except ValueError as error:
                self.add_error(
                    name,
                    _("“%(value)s” is not an interval; write it like 09:00-13:00.")
                    % {"value": str(error)},
                )
                continue
            if intervals:
                hours[weekday.value] = intervals
        cleaned["hours"] = hours
        return cleaned


class DayOffForm(forms.Form):
    starts_on = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=200)


class PageForm(forms.ModelForm[BookingPage]):
    """The page's settings; saved through save_booking_page, not ModelForm.save."""

    class Meta:
        model = BookingPage
        fields = PAGE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
