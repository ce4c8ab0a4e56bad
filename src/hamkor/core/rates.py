"""Reading exchange rates (the Central Bank of Uzbekistan's JSON, or a plain CSV) and storing them.

Everything is parsed and validated before anything is written; one bad entry writes nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hamkor.core.audit import record_event
from hamkor.core.currency import base_currency
from hamkor.core.models import ExchangeRate
from hamkor.core.money import is_currency

FORMAT_CBU = "cbu"
FORMAT_CSV = "csv"
FORMATS = (FORMAT_CBU, FORMAT_CSV)
# The currency the central bank quotes every rate in.
CBU_BASE_CURRENCY = "UZS"
# Generous for a daily table of ~80 currencies, small enough to refuse a wrong URL quickly.
MAX_SOURCE_BYTES = 10 * 1024 * 1024
FETCH_TIMEOUT_SECONDS = 30
# ExchangeRate.rate holds 20 digits, 8 of them after the point.
RATE_PLACES = Decimal("0.00000001")
MAX_RATE = Decimal("1e12")


@dataclass(frozen=True)
class ParsedRate:
    """One unit of ``currency`` costs ``rate`` base-currency units on ``date``."""

    date: datetime.date
    currency: str
    rate: Decimal


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def read_source(source: str) -> str:
    """The text of a local file or of an http(s) URL."""
    data: bytes
    if source.startswith(("http://", "https://")):
        try:
            # The scheme is checked just above: only http and https are opened.
            with urllib.request.urlopen(source, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
                data = response.read(MAX_SOURCE_BYTES + 1)
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise ValidationError(
                _("Could not download %(url)s: %(reason)s.")
                % {"url": source, "reason": getattr(error, "reason", error)}
            ) from error
    else:
        try:
            with Path(source).open("rb") as handle:
                data = handle.read(MAX_SOURCE_BYTES + 1)
        except OSError as error:
            raise ValidationError(
                _("Could not read %(path)s: %(reason)s.")
                % {"path": source, "reason": error.strerror or error}
            ) from error
    if len(data) > MAX_SOURCE_BYTES:
        raise ValidationError(_("%(source)s is too large for a rate table.") % {"source": source})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("%(source)s is not UTF-8 text.") % {"source": source}) from None


def detect_format(text: str) -> str:
    """CBU's JSON is an array; anything else is taken for CSV."""
    return FORMAT_CBU if text.lstrip().startswith("[") else FORMAT_CSV


def _rate(value: Any, nominal: Any = 1) -> Decimal | None:
    """Rate per one unit, rounded to what the table stores; None if not a positive number."""
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
        units = Decimal(str(nominal).strip())
    except InvalidOperation:
        return None
    if not amount.is_finite() or not units.is_finite() or units <= 0:
        return None
    if amount <= 0 or amount / units >= MAX_RATE:
        return None
    per_unit = (amount / units).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)
    return per_unit if per_unit > 0 else None


def _currency_error(code: str) -> str | None:
    if not is_currency(code) or len(code) != 3:
        return _("“%(code)s” is not an ISO 4217 currency code.") % {"code": code}
    if code == base_currency():
        return _("%(code)s is the base currency; it needs no rate.") % {"code": code}
    return None


def parse_cbu(text: str) -> list[ParsedRate]:
    """The bank's JSON: [{"Ccy": "USD", "Nominal": "1", "Rate": "12171.03",
    "Date": "24.09.2025", ...}, ...]; rates are so'm per ``Nominal`` units."""
    if base_currency() != CBU_BASE_CURRENCY:
        raise ValidationError(
            _(
                "Central Bank of Uzbekistan rates are in %(cbu)s, but the base currency is "
                "%(base)s; import a CSV of %(base)s rates instead."
            )
            % {"cbu": CBU_BASE_CURRENCY, "base": base_currency()}
        )
    try:
        entries = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            _("The rate file is not valid JSON (line %(line)s): %(reason)s.")
            % {"line": error.lineno, "reason": error.msg}
        ) from None
    if not isinstance(entries, list):
        raise ValidationError(_("The rate file must be a JSON array of rates."))
    errors: list[str] = []
    rates: list[ParsedRate] = []
    for number, entry in enumerate(entries, start=1):
        problems: list[str] = []
        if not isinstance(entry, dict):
            errors.append(_("Entry %(number)s is not an object.") % {"number": number})
            continue
        code = str(entry.get("Ccy", "")).strip().upper()
        currency_error = _currency_error(code)
        if currency_error:
            problems.append(currency_error)
        try:
            raw_date = str(entry.get("Date", "")).strip()
            # A calendar date: no time of day, so no time zone to attach.
            day = datetime.datetime.strptime(raw_date, "%d.%m.%Y").date()  # noqa: DTZ007
        except ValueError:
            problems.append(
                _("“%(value)s” is not a date like 24.09.2025.") % {"value": entry.get("Date", "")}
            )
        rate = _rate(entry.get("Rate", ""), entry.get("Nominal", 1))
        if rate is None:
            problems.append(
                _("The rate “%(rate)s” per %(nominal)s units is not a positive number.")
                % {"rate": entry.get("Rate", ""), "nominal": entry.get("Nominal", 1)}
            )
        if problems:
            errors.append(
                _("Entry %(number)s (%(code)s): %(problems)s")
                % {"number": number, "code": code or "?", "problems": " ".join(problems)}
            )
            continue
        assert rate is not None  # noqa: S101 - narrowed by the checks above
        rates.append(ParsedRate(date=day, currency=code, rate=rate))
    if errors:
        raise ValidationError(errors)
    return _without_repeats(rates)


def parse_csv(text: str) -> list[ParsedRate]:
    """``date,currency,rate`` with a header row; ISO dates; the rate is per one unit."""
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(reader, [])]
    if header != ["date", "currency", "rate"]:
        raise ValidationError(
            _("The first line must be the header “date,currency,rate”, not “%(header)s”.")
            % {"header": ",".join(header)}
        )
    errors: list[str] = []
    rates: list[ParsedRate] = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            errors.append(
                _("Line %(line)s: expected 3 values (date, currency, rate), found %(count)s.")
                % {"line": line, "count": len(row)}
            )
            continue
        problems: list[str] = []
        raw_date, raw_code, raw_rate = (cell.strip() for cell in row)
        code = raw_code.upper()
        currency_error = _currency_error(code)
        if currency_error:
            problems.append(currency_error)
        try:
            day = datetime.date.fromisoformat(raw_date)
        except ValueError:
            problems.append(_("“%(value)s” is not a date like 2026-11-23.") % {"value": raw_date})
        rate = _rate(raw_rate)
        if rate is None:
            problems.append(_("The rate “%(rate)s” is not a positive number.") % {"rate": raw_rate})
        if problems:
            errors.append(
                _("Line %(line)s: %(problems)s") % {"line": line, "problems": " ".join(problems)}
            )
            continue
        assert rate is not None  # noqa: S101 - narrowed by the checks above
        rates.append(ParsedRate(date=day, currency=code, rate=rate))
    if errors:
        raise ValidationError(errors)
    return _without_repeats(rates)


def _without_repeats(rates: Sequence[ParsedRate]) -> list[ParsedRate]:
    """Drop exact repeats; two different rates for one currency and day are an error."""
    seen: dict[tuple[datetime.date, str], ParsedRate] = {}
    errors: list[str] = []
    for item in rates:
        key = (item.date, item.currency)
        earlier = seen.get(key)
        if earlier is None:
            seen[key] = item
        elif earlier.rate != item.rate:
            errors.append(
                _("%(currency)s has two different rates on %(date)s.")
                % {"currency": item.currency, "date": item.date.isoformat()}
            )
    if errors:
        raise ValidationError(errors)
    return list(seen.values())


def parse_rates(text: str, *, format: str | None = None) -> list[ParsedRate]:
    """Parse ``text`` in the given format, or the one it looks like."""
    chosen = format or detect_format(text)
    if chosen == FORMAT_CBU:
        return parse_cbu(text)
    if chosen == FORMAT_CSV:
        return parse_csv(text)
    raise ValidationError(
        _("Unknown rate format “%(format)s”; use cbu or csv.") % {"format": chosen}
    )


@transaction.atomic
def import_rates(*, rates: Sequence[ParsedRate], source: str, actor: Any = None) -> ImportResult:
    """Insert new rates and overwrite changed ones (one row per day and currency), all or none."""
    if not rates:
        return ImportResult(created=0, updated=0, unchanged=0)
    days = {item.date for item in rates}
    currencies = {item.currency for item in rates}
    existing = {
        (row.date, row.currency): row
        for row in ExchangeRate.objects.select_for_update().filter(
            date__in=days, currency__in=currencies
        )
    }
    to_create: list[ExchangeRate] = []
    to_update: list[ExchangeRate] = []
    for item in rates:
        row = existing.get((item.date, item.currency))
        if row is None:
            row = ExchangeRate(
                date=item.date, currency=item.currency, rate=item.rate, source=source
            )
            row.full_clean(validate_unique=False)
            to_create.append(row)
        elif row.rate != item.rate:
            row.rate = item.rate
            row.source = source
            row.full_clean(validate_unique=False)
            to_update.append(row)
    ExchangeRate.objects.bulk_create(to_create, batch_size=500)
    ExchangeRate.objects.bulk_update(to_update, ["rate", "source"], batch_size=500)
    result = ImportResult(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(rates) - len(to_create) - len(to_update),
    )
    first = ExchangeRate.objects.get(date=rates[0].date, currency=rates[0].currency)
    record_event(
        actor=actor,
        verb="rates.imported",
        target=first,
        data={
            "source": source,
            "created": result.created,
            "updated": result.updated,
            "from": min(days).isoformat(),
            "to": max(days).isoformat(),
        },
    )
    return result
