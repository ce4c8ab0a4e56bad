"""Forms of the customer portal: code login and the customer's profile."""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hamkor.consent.selectors import ConsentStatus
from hamkor.contacts.models import ConsentChannel, Contact, Language
from hamkor.core.phones import format_phone, normalize_phone
from hamkor.portal.services import LoginAddress, ProfileInput, parse_login_address

_AREAS = ("Africa/", "America/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Indian/")


@functools.cache
def time_zone_choices() -> list[tuple[str, str]]:
    """Canonical "Area/City" zones and UTC, for the profile's time zone list."""
    names = sorted(
        name
        for name in zoneinfo.available_timezones()
        if name.startswith((*_AREAS, "Pacific/")) and "GMT" not in name
    )
    return [("UTC", "UTC"), *((name, name.replace("_", " ")) for name in names)]


class CodeRequestForm(forms.Form):
    address = forms.CharField(
        label=_("Email or phone number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_address(self) -> str:
        raw: str = self.cleaned_data["address"]
        self.login_address: LoginAddress = parse_login_address(raw)
        return raw


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "size": 8,
            }
        ),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class ProfileForm(forms.Form):
    """Names, phones and emails (one field each, with a spare one), language, zone, consents."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    middle_name = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    consent_email = forms.BooleanField(label=_("Messages by email"), required=False)
    consent_sms = forms.BooleanField(label=_("Messages by SMS"), required=False)
    consent_telegram = forms.BooleanField(label=_("Messages by Telegram"), required=False)
    # Service messages go unless stopped: ticked means "keep sending", as the page opens.
    service_email = forms.BooleanField(
        label=_("Replies to my requests, booking confirmations and invoices by email"),
        required=False,
    )
    service_sms = forms.BooleanField(
        label=_("Replies to my requests, booking confirmations and invoices by SMS"),
        required=False,
    )
    service_telegram = forms.BooleanField(
        label=_("Replies to my requests, booking confirmations and invoices by Telegram"),
        required=False,
    )
    # Posted with the boxes above: only then does a missing box mean "stop" (a form from
    # before they existed, or another client, leaves service messages as they are).
    service_shown = forms.BooleanField(required=False, initial=True, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        contact: Contact,
        service_consents: Mapping[str, ConsentStatus] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        statuses = service_consents or {}
        for channel in ConsentChannel.values:
            status = statuses.get(channel)
            self.initial.setdefault(f"service_{channel}", not (status and status.withdrawn))
            if status and status.withdrawn and status.recorded_at is not None:
                when = date_format(timezone.localdate(status.recorded_at), "DATE_FORMAT")
                # Translators: under a "Replies to my requests ... by email" box, unticked.
                self.fields[f"service_{channel}"].help_text = gettext(
                    "You stopped these on %(date)s."
                ) % {"date": when}
        phones = [phone.number for phone in contact.phones.all()]
        emails = [email.email for email in contact.emails.all()]
        self.phone_names = [f"phone_{i}" for i in range(len(phones) + 1)]
        self.email_names = [f"email_{i}" for i in range(len(emails) + 1)]
        for i, name in enumerate(self.phone_names):
            self.fields[name] = forms.CharField(
                label=_("Phone") if i == 0 else _("Another phone"),
                max_length=32,
                required=False,
                widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            )
            self.initial.setdefault(name, format_phone(phones[i]) if i < len(phones) else "")
        for i, name in enumerate(self.email_names):
            self.fields[name] = forms.EmailField(
                label=_("Email") if i == 0 else _("Another email"),
                required=False,
                widget=forms.EmailInput(attrs={"autocomplete": "email"}),
            )
            self.initial.setdefault(name, emails[i] if i < len(emails) else "")
        # Show the stored zone even when it is not in the usual list.
        choices = time_zone_choices()
        if contact.time_zone not in dict(choices):
            zone_field = cast(forms.ChoiceField, self.fields["time_zone"])
            zone_field.choices = [(contact.time_zone, contact.time_zone), *choices]

    @property
    def phone_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.phone_names]

    @property
    def email_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.email_names]

    @property
    def consent_fields(self) -> list[forms.BoundField]:
        return [self[f"consent_{channel}"] for channel in ConsentChannel.values]

    @property
    def service_fields(self) -> list[forms.BoundField]:
        return [self[f"service_{channel}"] for channel in ConsentChannel.values]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.phone_names:
            raw = cleaned.get(name, "")
            if raw:
                try:
                    normalize_phone(raw)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def to_input(self) -> ProfileInput:
        data = self.cleaned_data
        return ProfileInput(
            first_name=data["first_name"],
            last_name=data["last_name"],
            middle_name=data["middle_name"],
            language=data["language"],
            time_zone=data["time_zone"],
            phones=[data[name] for name in self.phone_names],
            emails=[data[name] for name in self.email_names],
            consents={channel: data[f"consent_{channel}"] for channel in ConsentChannel.values},
            # Read now, in the language the page was shown in: the exact wording agreed to.
            consent_texts={
                channel: str(self.fields[f"consent_{channel}"].label)
                for channel in ConsentChannel.values
            },
            service_consents=(
                {channel: data[f"service_{channel}"] for channel in ConsentChannel.values}
                if data["service_shown"]
                else {}
            ),
            service_texts={
                channel: str(self.fields[f"service_{channel}"].label)
                for channel in ConsentChannel.values
            },
        )

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's errors beside the fields they are about."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        targets = {"phones": self.phone_names[0], "emails": self.email_names[0]}
        for key, messages in error.message_dict.items():
            name = targets.get(key, key)
            self.add_error(name if name in self.fields else None, messages)
