"""What callers hand to the contact services, and the checks single and bulk writes share."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.contacts.models import ContactEmail, ContactPhone, Language, Stage
from hamkor.core.money import is_currency
from hamkor.core.phones import normalize_phone

# Scalar contact fields a form or the API may set.
CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "middle_name",
    "company",
    "job_title",
    "address",
    "city",
    "language",
    "time_zone",
    "currency",
    "birthday",
    "source",
    "stage",
    "notes",
    "owner",
    "team",
)
COMPANY_FIELDS = (
    "name",
    "legal_name",
    "tax_id",
    "phone",
    "email",
    "website",
    "address",
    "city",
    "source",
    "notes",
    "owner",
    "team",
)


@dataclass
class PhoneInput:
    number: str
    kind: str = ContactPhone.Kind.MOBILE


@dataclass
class EmailInput:
    email: str
    kind: str = ContactEmail.Kind.PERSONAL


@dataclass
class DateInput:
    kind: str
    date: datetime.date
    label: str = ""


@dataclass
class ContactInput:
    """What a form or API call wants to set; None means "leave as it is"."""

    values: dict[str, Any] = field(default_factory=dict)
    phones: Sequence[PhoneInput] | None = None
    emails: Sequence[EmailInput] | None = None
    tags: Sequence[str] | None = None
    important_dates: Sequence[DateInput] | None = None
    custom_fields: Mapping[str, Any] | None = None


def _clean_phones(phones: Sequence[PhoneInput]) -> list[PhoneInput]:
    errors: list[ValidationError] = []
    cleaned: list[PhoneInput] = []
    seen: set[str] = set()
    for item in phones:
        if not item.number.strip():
            continue
        try:
            number = normalize_phone(item.number)
        except ValidationError as error:
            errors.append(error)
            continue
        if item.kind not in ContactPhone.Kind.values:
            errors.append(
                ValidationError(_("Unknown phone kind “%(kind)s”."), params={"kind": item.kind})
            )
            continue
        if number not in seen:
            seen.add(number)
            cleaned.append(PhoneInput(number=number, kind=item.kind))
    if errors:
        raise ValidationError({"phones": errors})
    return cleaned


def _clean_emails(emails: Sequence[EmailInput]) -> list[EmailInput]:
    errors: list[ValidationError] = []
    cleaned: list[EmailInput] = []
    seen: set[str] = set()
    for item in emails:
        address = item.email.strip().lower()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            errors.append(
                ValidationError(
                    _("“%(value)s” is not a valid email address."), params={"value": item.email}
                )
            )
            continue
        if item.kind not in ContactEmail.Kind.values:
            errors.append(
                ValidationError(_("Unknown email kind “%(kind)s”."), params={"kind": item.kind})
            )
            continue
        if address not in seen:
            seen.add(address)
            cleaned.append(EmailInput(email=address, kind=item.kind))
    if errors:
        raise ValidationError({"emails": errors})
    return cleaned


def _validate_contact_values(values: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    unknown = set(values) - set(CONTACT_FIELDS)
    if unknown:
        errors["__all__"] = _("Unknown fields: %(fields)s.") % {
            "fields": ", ".join(sorted(unknown))
        }
    if "time_zone" in values:
        try:
            zoneinfo.ZoneInfo(str(values["time_zone"]))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            errors["time_zone"] = _(
                "“%(value)s” is not a time zone; use a name like Asia/Tashkent."
            ) % {"value": values["time_zone"]}
    if "currency" in values and not is_currency(str(values["currency"])):
        errors["currency"] = _("“%(value)s” is not a currency code like UZS, KGS or USD.") % {
            "value": values["currency"]
        }
    if "language" in values and values["language"] not in Language.values:
        errors["language"] = _("Choose one of the supported languages.")
    if "stage" in values and values["stage"] not in Stage.values:
        errors["stage"] = _("Choose one of the stages.")
    birthday = values.get("birthday")
    if birthday and birthday > timezone.localdate():
        errors["birthday"] = _("A birthday cannot be in the future.")
    if errors:
        raise ValidationError(errors)


def _default_team(owner: User | None) -> Any:
    return owner.team if owner is not None else None
