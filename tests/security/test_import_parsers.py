"""The import readers on arbitrary uploads: our ValidationError or rows, never a crash.

Round trip: rows written as CSV (any delimiter, UTF-8 or Windows-1251) read back the same.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hamkor.imports.services.readers import count_rows, open_table

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
NAMES = ["upload.csv", "upload.xlsx", "upload.vcf", "upload"]


def _read_all(path: Path, name: str) -> list[tuple[int, list[str]]]:
    with open_table(path, name=name) as table:
        assert isinstance(table.headers, list)
        return list(table.rows)


def _survives(path: Path, name: str) -> None:
    try:
        _read_all(path, name)
    except ValidationError as error:
        assert error.messages  # a sentence for the user, not an empty error
    count_rows(path, "csv")
    count_rows(path, "vcard")


@SETTINGS
@given(data=st.binary(max_size=2048), name=st.sampled_from(NAMES))
def test_arbitrary_bytes_read_or_refuse_clearly(tmp_path_factory, data: bytes, name: str) -> None:
    path = tmp_path_factory.mktemp("upload") / "file"
    path.write_bytes(data)

    _survives(path, name)


CSV_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",)) | st.sampled_from(list(',;\t|"\r\n:')),
    max_size=400,
)


@SETTINGS
@given(text=CSV_TEXT, encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1251"]))
def test_arbitrary_csv_text_reads_or_refuses_clearly(tmp_path_factory, text, encoding) -> None:
    path = tmp_path_factory.mktemp("upload") / "file.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))

    _survives(path, "file.csv")


VCARD_LINES = st.lists(
    st.sampled_from(
        [
            "BEGIN:VCARD",
            "END:VCARD",
            "VERSION:3.0",
            "FN:Aziza",
            "N:Karimova;Aziza;;;",
            "TEL;TYPE=CELL:+998901234567",
            "EMAIL:aziza@example.com",
            "BDAY:1990-02-30",
            "ORG:Baraka;Sales",
            "NOTE:line one\\nline two",
            " folded continuation",
            "X-BROKEN",
            ":",
            "PHOTO;ENCODING=b:@@@",
        ]
    )
    | st.text(max_size=40),
    max_size=30,
)


@SETTINGS
@given(lines=VCARD_LINES)
def test_arbitrary_vcards_read_or_refuse_clearly(tmp_path_factory, lines: list[str]) -> None:
    path = tmp_path_factory.mktemp("upload") / "file.vcf"
    path.write_text("\r\n".join(lines), encoding="utf-8", errors="replace")

    _survives(path, "file.vcf")


CELL = st.text(
    st.characters(
        blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
        # cp1251 only holds Latin and Cyrillic; the round trip asks for what it can store.
        max_codepoint=0x04FF,
    ),
    max_size=20,
).map(str.strip)


@SETTINGS
@given(
    headers=st.lists(CELL.filter(bool), min_size=2, max_size=5, unique=True),
    rows=st.lists(st.lists(CELL, min_size=5, max_size=5), min_size=1, max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1251"]),
)
def test_rows_written_as_csv_read_back_the_same(
    tmp_path_factory, headers, rows, delimiter, encoding
) -> None:
    width = len(headers)
    rows = [row[:width] for row in rows if any(row[:width])]
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, quoting=csv.QUOTE_ALL).writerows([headers, *rows])
    try:
        data = text.getvalue().encode(encoding)
    except UnicodeEncodeError:
        assume(False)
    path = tmp_path_factory.mktemp("upload") / "file.csv"
    path.write_bytes(data)

    with open_table(path, name="file.csv") as table:
        read = [cells for _, cells in table.rows]
        assert table.headers == headers
        assert table.delimiter == delimiter

    assert read == rows


def test_a_vcard_that_never_ends_is_refused_with_a_clear_error(tmp_path) -> None:
    path = tmp_path / "phone.vcf"
    path.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Aziza\r\n", encoding="utf-8")

    with pytest.raises(ValidationError, match="cannot be read as vCards"):
        _read_all(path, "phone.vcf")
