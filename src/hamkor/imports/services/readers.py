"""Reading uploaded files as a header and a stream of rows: CSV, XLSX and vCard.

Files are streamed, never held whole: CSV through a text wrapper, XLSX in openpyxl's read-only
mode, vCards card by card. Every reader yields ``(row_number, cells)`` where the row number is
what a person sees in the file (the header is row 1; for vCards, the card's position).
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CSV = "csv"
XLSX = "xlsx"
VCARD = "vcard"
FORMATS = (CSV, XLSX, VCARD)
SAMPLE_BYTES = 64 * 1024
DELIMITERS = ",;\t|"
# Google Contacts puts several values of one field in one cell, separated like this.
MULTI_SEPARATOR = ":::"
# Columns a vCard is turned into; mapping.guess_mapping knows them.
VCARD_HEADERS = [
    "First Name",
    "Last Name",
    "Middle Name",
    "Phone",
    "E-mail",
    "Birthday",
    "Organization Name",
    "Organization Title",
    "Notes",
]


@dataclass
class Table:
    """An opened file: its columns and an iterator over its data rows."""

    file_format: str
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)


def detect_format(name: str, head: bytes) -> str:
    """The format from the file name, else from the first bytes."""
    suffix = Path(name).suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return CSV
    if suffix in (".xlsx", ".xlsm"):
        return XLSX
    if suffix in (".vcf", ".vcard"):
        return VCARD
    if head.startswith(b"PK"):
        return XLSX
    if b"BEGIN:VCARD" in head[:4096].upper():
        return VCARD
    return CSV


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM) when the bytes decode as such, else Windows-1251."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        # The sample may end inside a multi-byte character: only that is forgiven.
        if error.start < len(sample) - 3:
            return _guess_single_byte(sample)
    return "utf-8"


def _guess_single_byte(sample: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(sample[:16384], cp_isolation=["cp1251", "koi8_r", "cp1252"]).best()
    return best.encoding if best is not None else "cp1251"


def detect_delimiter(text: str) -> str:
    """The delimiter the sample uses: the sniffer's answer, else the commonest in line one."""
    lines = text.splitlines()
    probe = "\n".join(lines[:50])
    try:
        return csv.Sniffer().sniff(probe, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = lines[0] if lines else ""
        counts = {d: first.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        # Phone numbers and SKUs typed into Excel come back as floats.
        return str(int(value))
    return str(value).strip()


def _csv_rows(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        yield number, cells


def _xlsx_rows(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, list[str]]]:
    for number, values in enumerate(rows, start=2):
        cells = [_cell_text(value) for value in values]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            yield number, cells


_QP_LINE = re.compile(r"QUOTED-PRINTABLE", re.IGNORECASE)


def _join_soft_breaks(text: str) -> str:
    """vCard 2.1 quoted-printable values continue on the next line after a trailing '='."""
    out: list[str] = []
    pending = ""
    for line in text.splitlines():
        if pending:
            line = pending + line
            pending = ""
        if _QP_LINE.search(line.split(":", 1)[0]) and line.endswith("="):
            pending = line[:-1]
            continue
        out.append(line)
    if pending:
        out.append(pending)
    return "\r\n".join(out) + "\r\n"


def _vcard_text(component: Any, name: str) -> list[str]:
    values: list[str] = []
    for item in component.contents.get(name, []):
        value = item.value
        if isinstance(value, list):
            value = " ".join(str(part) for part in value if part)
        text = str(value).strip()
        if text:
            values.append(text)
    return values


def _vcard_cells(component: Any) -> list[str]:
    first = last = middle = ""
    names = component.contents.get("n")
    if names:
        n = names[0].value
        first, last, middle = (
            " ".join(part) if isinstance(part, list) else str(part or "")
            for part in (n.given, n.family, n.additional)
        )
    if not (first or last):
        full = _vcard_text(component, "fn")
        if full:
            first, _sep, last = full[0].partition(" ")
    orgs = component.contents.get("org")
    organization = ""
    if orgs:
        value = orgs[0].value
        organization = str(value[0] if isinstance(value, list) and value else value or "")
    bday = _vcard_text(component, "bday")
    separator = f" {MULTI_SEPARATOR} "
    return [
        first.strip(),
        last.strip(),
        middle.strip(),
        separator.join(_vcard_text(component, "tel")),
        separator.join(_vcard_text(component, "email")),
        bday[0] if bday else "",
        organization.strip(),
        " ".join(_vcard_text(component, "title")),
        " ".join(_vcard_text(component, "note")),
    ]


def _vcard_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    import vobject
    from vobject.base import ParseError

    cards = vobject.readComponents(_join_soft_breaks(text), ignoreUnreadable=True)
    number = 0
    while True:
        try:
            component = next(cards)
        except StopIteration:
            return
        except ParseError as error:
            # ignoreUnreadable skips bad lines, not structure (a card that never ends).
            raise ValidationError(
                _("The file cannot be read as vCards: %(reason)s"), params={"reason": str(error)}
            ) from None
        number += 1
        if component.name.upper() != "VCARD":
            continue
        yield number, _vcard_cells(component)


def count_rows(path: Path, file_format: str) -> int:
    """About how many data rows the file has, for the progress bar (read in blocks)."""
    if file_format == XLSX:
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            return max(0, (sheet.max_row or 1) - 1)
        finally:
            workbook.close()
    needle = b"BEGIN:VCARD" if file_format == VCARD else b"\n"
    total = 0
    tail = b""
    with path.open("rb") as handle:
        while block := handle.read(1024 * 1024):
            data = tail + block
            total += data.upper().count(needle) if file_format == VCARD else data.count(needle)
            tail = data[-(len(needle) - 1) :] if len(needle) > 1 else b""
            if file_format == VCARD:
                total -= tail.upper().count(needle)
    if file_format == CSV:
        return max(0, total - 1)
    return total


@contextmanager
def open_table(path: Path, *, name: str = "") -> Iterator[Table]:
    """Open an uploaded file as a Table; ValidationError when it cannot be read."""
    with path.open("rb") as raw:
        head = raw.read(SAMPLE_BYTES)
    file_format = detect_format(name or path.name, head)
    if file_format == XLSX:
        with _open_xlsx(path) as table:
            yield table
        return
    encoding = detect_encoding(head)
    if file_format == VCARD:
        text = path.read_text(encoding=encoding, errors="replace")
        yield Table(file_format=VCARD, headers=list(VCARD_HEADERS), rows=_vcard_rows(text))
        return
    with path.open("rb") as raw:
        handle: IO[str] = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
        sample = head.decode(encoding, errors="ignore")
        delimiter = detect_delimiter(sample)
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            headers = [cell.strip() for cell in next(reader)]
        except StopIteration:
            raise ValidationError(_("The file is empty.")) from None
        except csv.Error as error:
            raise ValidationError(
                _("The file cannot be read as CSV: %(reason)s"), params={"reason": str(error)}
            ) from None
        if not any(headers):
            raise ValidationError(_("The first row must name the columns."))
        yield Table(
            file_format=CSV,
            headers=headers,
            rows=_csv_rows(reader),
            encoding=encoding,
            delimiter=delimiter,
        )


@contextmanager
def _open_xlsx(path: Path) -> Iterator[Table]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a broken file
        raise ValidationError(_("The file cannot be opened as an Excel workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        try:
            headers = [_cell_text(value) for value in next(rows)]
        except StopIteration:
            raise ValidationError(_("The file is empty.")) from None
        while headers and not headers[-1]:
            headers.pop()
        if not headers:
            raise ValidationError(_("The first row must name the columns."))
        yield Table(file_format=XLSX, headers=headers, rows=_xlsx_rows(rows))
    finally:
        workbook.close()
