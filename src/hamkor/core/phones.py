"""Phone numbers: parse anything people type, store E.164."""

from __future__ import annotations

import re

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_PHONE_LIKE = re.compile(r"^[\d\s()+\-.]{3,}$")


def normalize_phone(raw: str, *, region: str | None = None) -> str:
    """Return the E.164 form of ``raw`` or raise ValidationError with a message."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Enter a phone number."), code="phone_empty")
    default_region = region or settings.HAMKOR_PHONE_REGION
    try:
        parsed = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("“%(value)s” is not a phone number."), code="phone_invalid", params={"value": text}
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number."),
            code="phone_invalid",
            params={"value": text},
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """Human form: national for the home region, international otherwise."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    home = phonenumbers.region_code_for_number(parsed) == settings.HAMKOR_PHONE_REGION
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if home
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, style)


def looks_like_phone(text: str) -> bool:
    """True when a search term is made of digits and phone punctuation only."""
    return bool(_PHONE_LIKE.match(text.strip())) and any(ch.isdigit() for ch in text)


def digits_only(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
