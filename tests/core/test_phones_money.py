from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from hamkor.core.money import format_money
from hamkor.core.phones import format_phone, looks_like_phone, normalize_phone


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("90 123 45 67", "+998901234567"),
        ("+998 (90) 123-45-67", "+998901234567"),
        ("998901234567", "+998901234567"),
        ("+996 555 123 456", "+996555123456"),
    ],
)
def test_normalize_phone_accepts_what_people_type(typed, expected):
    assert normalize_phone(typed) == expected


@pytest.mark.parametrize("typed", ["12", "hello", "+998 12", ""])
def test_normalize_phone_rejects_non_numbers_with_message(typed):
    with pytest.raises(ValidationError) as error:
        normalize_phone(typed)

    assert error.value.messages[0]


def test_format_phone_is_national_at_home_and_international_abroad():
    assert format_phone("+998901234567") == "90 123 45 67"
    assert format_phone("+996555123456") == "+996 555 123 456"


def test_looks_like_phone_tells_digits_from_names():
    assert looks_like_phone("90 123")
    assert not looks_like_phone("Karimova")


def test_format_money_follows_the_locale():
    with translation.override("ky"):
        kyrgyz = format_money(Decimal("12500"), "KGS")
    with translation.override("en"):
        english = format_money(Decimal("1250.5"), "USD")

    assert kyrgyz.replace("\xa0", " ") == "12 500,00 сом"
    assert english == "$1,250.50"


def test_format_money_shows_whole_soum_without_tiyin():
    with translation.override("uz"):
        uzbek = format_money(Decimal("1250000"), "UZS")
    with translation.override("ru"):
        russian = format_money(Decimal("1250000.50"), "UZS")

    assert uzbek.replace("\xa0", " ") == "1 250 000 soʻm"
    assert russian.replace("\xa0", " ") == "1 250 000,50 UZS"


def test_format_money_keeps_a_currency_code_apart_from_the_number():
    with translation.override("en"):
        assert format_money(Decimal("0"), "UZS") == "UZS\xa00"
        assert format_money(Decimal("12500"), "KGS") == "KGS\xa012,500.00"
