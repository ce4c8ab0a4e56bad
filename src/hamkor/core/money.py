"""Money and number formatting in the active locale (babel knows each locale's rules)."""

from __future__ import annotations

from decimal import Decimal

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal, list_currencies
from django.utils import translation

_BABEL_LOCALES = {"en": "en", "ru": "ru_RU", "uz": "uz_Latn_UZ", "ky": "ky_KG"}
# Currencies whose minor unit exists on paper but not in shops (nobody writes tiyin).
WHOLE_UNIT_CURRENCIES = frozenset({"UZS"})


def babel_locale(language: str | None = None) -> str:
    code = (language or translation.get_language() or "en").split("-")[0]
    return _BABEL_LOCALES.get(code, "en")


def is_currency(code: str) -> bool:
    return code.upper() in list_currencies()


def format_money(
    amount: Decimal | int | float | str, currency: str, language: str | None = None
) -> str:
    """'1 250 000 soʻm' in Uzbek, '12 500,00 сом' in Kyrgyz, '$1,250.00' in English."""
    locale = babel_locale(language)
    try:
        parsed = Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        parsed = Locale.parse("en")
    value = Decimal(str(amount))
    code = currency.upper()
    if code in WHOLE_UNIT_CURRENCIES and value == value.to_integral_value():
        standard = parsed.currency_formats["standard"].pattern.split(";")[0]
        pattern = standard.replace("0.00", "0")
        text = format_currency(value, code, format=pattern, locale=parsed, currency_digits=False)
    else:
        text = format_currency(value, code, locale=parsed)
    # English writes codes without a symbol glued to the number ("UZS0"); keep them apart.
    if text.startswith(code) and text[len(code) : len(code) + 1].isdigit():
        text = f"{code}\xa0{text[len(code) :]}"
    return text


def format_number(value: Decimal | int | float, language: str | None = None) -> str:
    return format_decimal(value, locale=babel_locale(language))
