"""The import's shortcuts for plainly written phones and dates give what the full parse gives."""

import datetime

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hamkor.contacts.text import phone_search_digits
from hamkor.core.phones import normalize_phone
from hamkor.imports.services import values
from hamkor.imports.services.values import CellError

pytestmark = pytest.mark.django_db

_DIGITS = st.text(alphabet="0123456789", min_size=0, max_size=14)
_SEPARATOR = st.sampled_from(["", "", " ", "-", "(", ")", ".", "\u00a0", "/"])


@st.composite
def typed_phones(draw: st.DrawFn) -> str:
    """Numbers the ways people type them, and many that are not numbers at all."""
    lead = draw(st.sampled_from(["", "+", "+998", "998", "00998", "8", "0", "+7", "+996", "810"]))
    body = draw(_DIGITS)
    pieces = [lead]
    for digit in body:
        pieces.append(draw(_SEPARATOR))
        pieces.append(digit)
    return "".join(pieces)


def _full_parse(text: str) -> tuple[str, str] | None:
    try:
        e164 = normalize_phone(text)
    except ValidationError:
        return None
    return e164, phone_search_digits(e164)


def _shortcut_or_error(text: str) -> tuple[str, str] | None:
    try:
        return values.phone_parts.__wrapped__(text)
    except CellError:
        return None


@settings(max_examples=400, deadline=None)
@given(typed_phones())
@example("+998 90 123-45-67")
@example("998901234567")
@example("90 1234567")
@example("998123456")
@example("+998 012345678")
@example("8 (99) 765-43-21")
def test_phone_parts_equal_the_full_parse(text):
    assert _shortcut_or_error(text) == _full_parse(text)


@pytest.mark.parametrize("text", ["+998 90 123-45-67", "998901234567", "90 1234567"])
def test_plain_home_numbers_take_the_shortcut(text, settings):
    settings.HAMKOR_PHONE_REGION = "UZ"

    digits = values._home_national(text, "UZ")

    assert digits == ("998901234567", "901234567")


def test_regions_with_a_trunk_prefix_use_the_full_parse():
    # Kyrgyz numbers are written 0555 123 456 at home; which zero is stripped is
    # phonenumbers' business.
    assert values._home_national("0555 123 456", "KG") is None
    assert values._home_national("+996 555 123 456", "KG") is None


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(["UZ", "TJ", "KZ", "DE", "GB"]), st.text(alphabet="0123456789", max_size=11))
@example("UZ", "901234567")
@example("UZ", "551234567")
@example("UZ", "201234567")
@example("UZ", "401234567")
def test_shortcut_validity_is_phonenumbers_validity(region, national):
    # The compiled patterns decide exactly what is_valid_number decides.
    home = values._home_region(region)
    number = f"+{home.country_code}{national}" if home else ""

    taken = values._home_national(number, region) if home else None

    if home is not None and national and not national.startswith("0"):
        parsed = phonenumbers.PhoneNumber(
            country_code=home.country_code, national_number=int(national)
        )
        assert (taken is not None) == phonenumbers.is_valid_number(parsed)
    else:
        assert taken is None


def _dates_by_strptime(text: str) -> datetime.date | None:
    for pattern in values._DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 99),
    st.integers(0, 19),
    st.integers(0, 9999),
    st.sampled_from(["{d:02d}.{m:02d}.{y:04d}", "{y:04d}-{m:02d}-{d:02d}", "{d}.{m}.{y}"]),
)
def test_date_shortcut_equals_strptime(day, month, year, pattern):
    text = pattern.format(d=day, m=month, y=year)
    expected = _dates_by_strptime(text)

    if expected is None:
        with pytest.raises(CellError):
            values.date(text)
    else:
        assert values.date(text) == expected
