"""Derived text that search and duplicate detection look at."""

from __future__ import annotations

import re
from collections.abc import Iterable

import phonenumbers
from anyascii import anyascii

_NON_WORD = re.compile(r"[^\w@.+-]+", re.UNICODE)


def latin(text: str) -> str:
    """Lower-cased Latin transliteration: 'Каримова' -> 'karimova', 'Oʻgʻiloy' -> 'o'g'iloy'."""
    return anyascii(text).lower().replace("`", "'")


def name_key(*parts: str) -> str:
    """Sorted transliterated name tokens; the same person typed in either script or order."""
    tokens = sorted(token for part in parts for token in _NON_WORD.split(latin(part)) if token)
    return " ".join(tokens)[:255]


def phone_search_digits(e164: str) -> str:
    """International digits plus the national number, so either way of typing matches."""
    digits = e164.lstrip("+")
    try:
        national = str(phonenumbers.parse(e164, None).national_number)
    except phonenumbers.NumberParseException:
        return digits
    # A leading 0 (trunk prefix) is how many people type local numbers.
    return f"{digits} 0{national}"


def build_search_text(
    *,
    names: Iterable[str],
    phones: Iterable[str] = (),
    emails: Iterable[str] = (),
    extra: Iterable[str] = (),
) -> str:
    """Lower-cased originals and their Latin forms, phone digits and emails, space separated."""
    pieces: list[str] = []
    for text in [*names, *extra]:
        text = (text or "").strip()
        if not text:
            continue
        lowered = text.lower()
        pieces.append(lowered)
        transliterated = latin(text)
        if transliterated != lowered:
            pieces.append(transliterated)
    pieces.extend(phone_search_digits(phone) for phone in phones if phone)
    pieces.extend(email.lower() for email in emails if email)
    return " ".join(pieces)


def normalize_query(term: str) -> list[str]:
    """Split a search box's text into the fragments that must all match."""
    from hamkor.core.phones import digits_only, looks_like_phone

    term = term.strip()
    if not term:
        return []
    if looks_like_phone(term):
        return [digits_only(term)]
    return [latin(word) for word in term.split() if word]
