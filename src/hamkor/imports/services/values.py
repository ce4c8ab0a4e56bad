"""Turning cell text into values: names, phones (E.164), emails, dates and numbers."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from hamkor.contacts.text import phone_search_digits
from hamkor.core.phones import normalize_phone

_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y%m%d", "%d-%m-%Y", "%Y/%m/%d")
_DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d.%m.%Y %H:%M")
_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f']")


class CellError(ValueError):
    """A cell's text cannot become the value; the message says why, for the user."""


def phone(text: str) -> str:
    """E.164, as ``core.phones.normalize_phone`` gives it."""
    return phone_parts(text)[0]


@lru_cache(maxsize=20_000)
def phone_parts(text: str) -> tuple[str, str]:
    """E.164 and the digits search looks for, from one parse (cached: files repeat numbers).

    The same as ``normalize_phone`` then ``contacts.text.phone_search_digits``, which would
    parse the number twice: half the cost of a big contacts import (see the equality test).
    """
    try:
        parsed = phonenumbers.parse(text.strip(), settings.HAMKOR_PHONE_REGION)
        valid = phonenumbers.is_valid_number(parsed)
    except phonenumbers.NumberParseException:
        valid = False
    if not valid:
        # The shared function words the error (and settles any case we see differently).
        try:
            e164 = normalize_phone(text)
        except ValidationError as error:
            raise CellError(" ".join(error.messages)) from None
        return e164, phone_search_digits(e164)
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return e164, f"{e164.lstrip('+')} 0{parsed.national_number}"


@lru_cache(maxsize=20_000)
def email(text: str) -> str:
    address = text.strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise CellError(_("“%(value)s” is not a valid email address.") % {"value": text}) from None
    return address


def date(text: str) -> datetime.date | None:
    """A date in the usual spellings; None for a yearless Google/vCard birthday (--05-17)."""
    value = text.strip()
    if value.startswith("--"):
        return None
    value = value.split("T")[0] if "T" in value and len(value) > 10 else value
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise CellError(
        _("“%(value)s” is not a date; write it like 2024-05-17 or 17.05.2024.") % {"value": text}
    )


def moment(text: str) -> datetime.datetime | datetime.date:
    """A date, or a date with a time (naive: taken in the organisation's time zone)."""
    value = text.strip()
    for pattern in _DATETIME_FORMATS:
        try:
            return datetime.datetime.strptime(value, pattern)  # noqa: DTZ007
        except ValueError:
            continue
    parsed = date(value)
    if parsed is None:
        raise CellError(_("“%(value)s” is not a date.") % {"value": text})
    return parsed


def number(text: str) -> Decimal:
    """A decimal number; spaces as thousands separators and a decimal comma are accepted."""
    value = _NUMBER_SPACES.sub("", text.strip())
    # "12,50" is a decimal comma; "1,250.00" has thousands separators.
    decimal_comma = "," in value and "." not in value
    value = value.replace(",", ".") if decimal_comma else value.replace(",", "")
    try:
        result = Decimal(value)
    except InvalidOperation:
        result = None
    if result is None or not result.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": text})
    return result


def text(value: str, limit: int) -> str:
    cleaned = value.strip()
    if len(cleaned) > limit:
        raise CellError(
            _("Use at most %(limit)d characters (this has %(length)d).")
            % {"limit": limit, "length": len(cleaned)}
        )
    return cleaned
