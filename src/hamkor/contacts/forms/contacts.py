"""The contact form and the phone, email and date rows typed beside it."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamkor.accounts.forms import time_zone_choices
from hamkor.accounts.models import User
from hamkor.accounts.selectors import list_assignable_users
from hamkor.contacts.forms.common import (
    CustomFieldsMixin,
    choice_field,
    model_choice_field,
    split_tags,
    version_field,
)
from hamkor.contacts.models import (
    Company,
    Contact,
    ContactEmail,
    ContactPhone,
    CustomFieldDefinition,
    ImportantDate,
    Language,
    Stage,
)
from hamkor.contacts.selectors import list_companies, list_sources
from hamkor.contacts.services import ContactInput, DateInput, EmailInput, PhoneInput


@dataclass
class PhoneRow:
    number: str = ""
    kind: str = ContactPhone.Kind.MOBILE


@dataclass
class EmailRow:
    email: str = ""
    kind: str = ContactEmail.Kind.PERSONAL


@dataclass
class DateRow:
    kind: str = ImportantDate.Kind.ANNIVERSARY
    label: str = ""
    date: str = ""


@dataclass
class ContactRows:
    """Phones, emails and dates typed as repeated inputs, kept as typed for re-display."""

    phones: list[PhoneRow] = field(default_factory=list)
    emails: list[EmailRow] = field(default_factory=list)
    dates: list[DateRow] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_post(cls, data: QueryDict) -> ContactRows:
        phones = [
            PhoneRow(number=n, kind=k)
            for n, k in zip(data.getlist("phone_number"), data.getlist("phone_kind"), strict=False)
        ]
        emails = [
            EmailRow(email=e, kind=k)
            for e, k in zip(data.getlist("email_address"), data.getlist("email_kind"), strict=False)
        ]
        dates = [
            DateRow(kind=k, label=label, date=d)
            for k, label, d in zip(
                data.getlist("date_kind"),
                data.getlist("date_label"),
                data.getlist("date_value"),
                strict=False,
            )
        ]
        return cls(phones=phones, emails=emails, dates=dates)

    @classmethod
    def from_contact(cls, contact: Contact) -> ContactRows:
        return cls(
            phones=[PhoneRow(number=p.number, kind=p.kind) for p in contact.phones.all()],
            emails=[EmailRow(email=e.email, kind=e.kind) for e in contact.emails.all()],
            dates=[
                DateRow(kind=d.kind, label=d.label, date=d.date.isoformat())
                for d in contact.important_dates.all()
            ],
        )

    def with_blank_rows(self) -> ContactRows:
        """At least one empty phone and email input, so there is always one to type into."""
        phones = (
            self.phones if any(not p.number for p in self.phones) else [*self.phones, PhoneRow()]
        )
        emails = (
            self.emails if any(not e.email for e in self.emails) else [*self.emails, EmailRow()]
        )
        return ContactRows(phones=phones, emails=emails, dates=self.dates, errors=self.errors)

    def parsed_dates(self) -> list[DateInput]:
        """Dates as service input; unparseable rows are reported under errors["important_dates"]."""
        result: list[DateInput] = []
        for row in self.dates:
            if not row.date.strip():
                continue
            try:
                value = datetime.date.fromisoformat(row.date.strip())
            except ValueError:
                self.errors.setdefault("important_dates", []).append(
                    _("“%(value)s” is not a date; use the date picker or 2024-03-21.")
                    % {"value": row.date}
                )
                continue
            if row.kind not in ImportantDate.Kind.values:
                self.errors.setdefault("important_dates", []).append(_("Choose a kind of date."))
                continue
            result.append(DateInput(kind=row.kind, date=value, label=row.label.strip()))
        return result


class ContactForm(CustomFieldsMixin, forms.Form):
    # "dup-watch" inputs feed the live "possible duplicates" hint on the form.
    first_name = forms.CharField(
        label=gettext_lazy("First name"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "dup-watch", "autocomplete": "off"}),
    )
    last_name = forms.CharField(
        label=gettext_lazy("Last name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "dup-watch", "autocomplete": "off"}),
    )
    middle_name = forms.CharField(label=gettext_lazy("Patronymic"), max_length=100, required=False)
    company = forms.ModelChoiceField(
        label=gettext_lazy("Company"), queryset=Company.objects.none(), required=False
    )
    job_title = forms.CharField(label=gettext_lazy("Job title"), max_length=120, required=False)
    stage = forms.ChoiceField(label=gettext_lazy("Stage"), choices=Stage.choices)
    source = forms.ModelChoiceField(
        label=gettext_lazy("Source"),
        queryset=Company.objects.none(),
        required=False,
        help_text=gettext_lazy("How they found us."),
    )
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Owner"), queryset=User.objects.none(), required=False
    )
    tags = forms.CharField(
        label=gettext_lazy("Tags"),
        required=False,
        help_text=gettext_lazy("Separate tags with commas."),
    )
    birthday = forms.DateField(
        label=gettext_lazy("Birthday"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    address = forms.CharField(label=gettext_lazy("Address"), max_length=255, required=False)
    city = forms.CharField(label=gettext_lazy("City"), max_length=100, required=False)
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        choices=Language.choices,
        help_text=gettext_lazy("Messages to this person are sent in this language."),
    )
    time_zone = forms.ChoiceField(label=gettext_lazy("Time zone"), choices=())
    currency = forms.CharField(
        label=gettext_lazy("Preferred currency"),
        max_length=3,
        widget=forms.TextInput(attrs={"list": "currencies", "autocapitalize": "characters"}),
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = version_field()

    SCALARS = (
        "first_name",
        "last_name",
        "middle_name",
        "company",
        "job_title",
        "stage",
        "source",
        "birthday",
        "address",
        "city",
        "language",
        "time_zone",
        "currency",
        "notes",
    )

    def __init__(
        self,
        *args: Any,
        viewer: User,
        definitions: Sequence[CustomFieldDefinition],
        contact: Contact | None = None,
        **kwargs: Any,
    ) -> None:
        if contact is not None:
            kwargs.setdefault("initial", self.initial_for(contact))
        else:
            kwargs.setdefault("initial", self.initial_for_new(viewer))
        super().__init__(*args, **kwargs)
        model_choice_field(self, "company").queryset = list_companies(viewer=viewer)
        model_choice_field(self, "source").queryset = list_sources()
        model_choice_field(self, "owner").queryset = list_assignable_users(viewer=viewer)
        choice_field(self, "time_zone").choices = time_zone_choices()
        self.add_custom_fields(definitions, contact.custom_fields if contact else {})

    @staticmethod
    def initial_for_new(viewer: User) -> dict[str, Any]:
        language = translation.get_language() or ""
        return {
            "stage": Stage.LEAD,
            "owner": viewer.pk,
            "language": language if language in Language.values else Language.UZ,
            "time_zone": settings.TIME_ZONE,
            "currency": settings.HAMKOR_DEFAULT_CURRENCY,
        }

    @staticmethod
    def initial_for(contact: Contact) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(contact, name) for name in ContactForm.SCALARS}
        initial["company"] = contact.company_id
        initial["source"] = contact.source_id
        initial["owner"] = contact.owner_id
        initial["tags"] = ", ".join(tag.name for tag in contact.tags.all())
        initial["version"] = contact.version
        return initial

    def expected_version(self) -> int | None:
        """The version the user started editing from; None when the page did not say."""
        version: int | None = self.cleaned_data.get("version")
        return version

    def to_input(self, rows: ContactRows, dates: Sequence[DateInput]) -> ContactInput:
        data = self.cleaned_data
        values = {name: data[name] for name in self.SCALARS if name in data}
        # An empty owner leaves the owner as it is (on create: the person creating it).
        if data.get("owner") is not None:
            values["owner"] = data["owner"]
        return ContactInput(
            values=values,
            phones=[PhoneInput(number=p.number, kind=p.kind) for p in rows.phones],
            emails=[EmailInput(email=e.email, kind=e.kind) for e in rows.emails],
            tags=split_tags(data.get("tags", "")),
            important_dates=list(dates),
            custom_fields=self.custom_values(),
        )
