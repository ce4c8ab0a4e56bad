"""Turning cell text into values: names, phones (E.164), emails, dates and numbers."""

from __future__ import annotations

import contextlib
import datetime
import re
from dataclasses import dataclass
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
# The two spellings nearly every file uses; anything else goes through strptime's loop.
_DOTTED_DATE = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# Punctuation people put between digits, which phonenumbers drops too.
_PHONE_PUNCTUATION = re.compile(r"[\s().\-]")


class CellError(ValueError):
    """A cell's text cannot become the value; the message says why, for the user."""


def phone(text: str) -> str:
    """E.164, as ``core.phones.normalize_phone`` gives it."""
    return phone_parts(text)[0]


@dataclass(frozen=True)
class _HomeRegion:
    country_code: int
    prefix: str
    lengths: frozenset[int]
    international_prefix: re.Pattern[str]
    # Per national-number length: the region's general pattern and, joined into one
    # alternation, the patterns of every number type that length may have.
    valid_patterns: dict[int, tuple[re.Pattern[str], re.Pattern[str]]]


# The number types phonenumbers tries, in its order (phonenumberutil._number_type_helper);
# a number is valid when its general pattern and one of these match.
_NUMBER_TYPES = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "fixed_line",
)


def _valid_patterns(
    meta: phonenumbers.PhoneMetadata, lengths: frozenset[int]
) -> dict[int, tuple[re.Pattern[str], re.Pattern[str]]]:
    """What ``phonenumbers.is_valid_number`` checks for a region, compiled per length.

    A description matches a national number when its possible lengths (if it lists any)
    hold the number's length and its pattern matches the whole number.
    """
    names = list(_NUMBER_TYPES)
    # With identical fixed-line and mobile patterns phonenumbers never tries mobile alone.
    if not meta.same_mobile_and_fixed_line_pattern:
        names.append("mobile")
    general = meta.general_desc
    patterns: dict[int, tuple[re.Pattern[str], re.Pattern[str]]] = {}
    for length in lengths:
        kinds = [
            desc.national_number_pattern
            for desc in (getattr(meta, name) for name in names)
            if desc is not None
            and desc.national_number_pattern
            and (not desc.possible_length or length in desc.possible_length)
        ]
        if kinds and general is not None and general.national_number_pattern:
            patterns[length] = (
                re.compile(general.national_number_pattern),
                re.compile("|".join(f"(?:{kind})" for kind in kinds)),
            )
    return patterns


@lru_cache(maxsize=8)
def _home_region(region: str) -> _HomeRegion | None:
    """What the shortcut needs of the home region, or None where it must not be taken.

    Regions with a trunk prefix (Kyrgyzstan's 0, Russia's 8) are left to phonenumbers: which
    leading digits it strips there depends on more than the length of the number.
    """
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if meta is None or meta.national_prefix or meta.national_prefix_for_parsing:
        return None
    general = meta.general_desc
    lengths = frozenset((general.possible_length or ()) if general is not None else ())
    if meta.country_code is None or not lengths or not meta.international_prefix:
        return None
    # A calling code shared by several regions (+7, +1) needs phonenumbers to pick one.
    if phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(meta.country_code) != (region,):
        return None
    return _HomeRegion(
        country_code=meta.country_code,
        prefix=str(meta.country_code),
        lengths=lengths,
        international_prefix=re.compile(meta.international_prefix),
        valid_patterns=_valid_patterns(meta, lengths),
    )


def _home_national(text: str, region: str) -> tuple[str, str] | None:
    """The international and national digits of a valid home-region number written plainly
    (+998 90 123-45-67, 998901234567, 90 1234567), without phonenumbers' full parse; None
    sends the text to the full parse.

    Only spellings whose reading is certain are taken: "+" and the home country code, or
    the bare national number, or the country code and a national number whose length leaves
    no other reading (the rule phonenumbers applies). Validity is phonenumbers' own check
    (``_valid_patterns``: its metadata, compiled once).
    """
    home = _home_region(region)
    if home is None:
        return None
    cleaned = _PHONE_PUNCTUATION.sub("", text)
    international = cleaned.startswith("+")
    digits = cleaned[1:] if international else cleaned
    if not (digits.isascii() and digits.isdigit()):
        return None
    if international:
        if not digits.startswith(home.prefix):
            return None
        national = digits[len(home.prefix) :]
    elif home.international_prefix.match(digits):
        return None
    elif len(digits) in home.lengths and not digits.startswith(home.prefix):
        national = digits
    elif digits.startswith(home.prefix) and len(digits) not in home.lengths:
        national = digits[len(home.prefix) :]
    else:
        return None
    # A leading zero would need phonenumbers' Italian-zero handling: leave it to the parse.
    if national.startswith("0"):
        return None
    patterns = home.valid_patterns.get(len(national))
    if patterns is None:
        return None
    general, kinds = patterns
    if general.fullmatch(national) and kinds.fullmatch(national):
        return home.prefix + national, national
    return None


@lru_cache(maxsize=20_000)
def phone_parts(text: str) -> tuple[str, str]:
    """E.164 and the digits search looks for, from one parse (cached: files repeat numbers).

    The same as ``normalize_phone`` then ``contacts.text.phone_search_digits``, which would
    parse the number twice: half the cost of a big contacts import (see the equality test).
    Plainly written home numbers skip phonenumbers' full parse (``_home_national``).
    """
    region = settings.HAMKOR_PHONE_REGION
    home = _home_national(text, region)
    if home is not None:
        digits, national = home
        return f"+{digits}", f"{digits} 0{national}"
    try:
        parsed = phonenumbers.parse(text.strip(), region)
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
    dotted = _DOTTED_DATE.fullmatch(value)
    iso = None if dotted else _ISO_DATE.fullmatch(value)
    with contextlib.suppress(ValueError):
        if dotted:
            return datetime.date(int(dotted[3]), int(dotted[2]), int(dotted[1]))
        if iso:
            return datetime.date(int(iso[1]), int(iso[2]), int(iso[3]))
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
