"""The import run: stream the rows, map and check them in chunks, hand them to a writer.

A run either writes (inside one transaction, rolled back at the end when any row failed and
bad rows were not to be skipped) or only checks. Counts and per-row errors come back either
way; the errors also go to a CSV file (row, column, message, the row's original values).
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.imports.services.bulk_sql import bulk_session
from hamkor.imports.services.fields import FieldSpec, fields_for
from hamkor.imports.services.readers import CSV, MULTI_SEPARATOR, open_table

CHUNK_SIZE = 5000
ERROR_SAMPLE = 50
PROGRESS_EVERY = 5000


@dataclass
class Counts:
    processed: int = 0
    new: int = 0
    updated: int = 0
    skipped: int = 0
    errors: int = 0
    # Rows matching an existing record or an earlier row of the file (skipped or updated).
    duplicates: int = 0


@dataclass
class RowError:
    row: int
    column: str
    message: str


class ErrorSink:
    """Per-row errors: the first few kept for the page, all of them written to a CSV file."""

    def __init__(self, headers: Sequence[str]) -> None:
        self.headers = list(headers)
        self.sample: list[dict[str, Any]] = []
        self.rows_with_errors: set[int] = set()
        self._handle: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8-sig", newline="")  # noqa: SIM115
        self._writer = csv.writer(self._handle)
        self._writer.writerow([_("Row"), _("Column"), _("Message"), *self.headers])
        self._values: dict[int, list[str]] = {}

    def remember(self, row: int, cells: list[str]) -> None:
        """Keep a row's cells until its chunk is written, for the error file."""
        self._values[row] = cells

    def forget(self) -> None:
        self._values.clear()

    def add(self, row: int, column: str, message: str) -> None:
        self.rows_with_errors.add(row)
        self._writer.writerow([row, column, message, *self._values.get(row, [])])
        if len(self.sample) < ERROR_SAMPLE:
            self.sample.append({"row": row, "column": column, "message": message})

    def content(self) -> bytes:
        self._handle.flush()
        self._handle.seek(0)
        data = self._handle.read().encode("utf-8-sig")
        return data

    def close(self) -> None:
        self._handle.close()


@dataclass
class Context:
    """What a writer needs: who imports, the options, and where counts and errors go."""

    actor: User
    duplicates: str
    write: bool
    counts: Counts
    errors: ErrorSink
    column_of: dict[str, str]

    def error(self, row: int, key: str, message: str) -> None:
        self.errors.add(row, self.column_of.get(key, ""), message)


class Writer(Protocol):
    # A dry run of this writer goes through its writes in a transaction rolled back after.
    dry_run_writes: bool

    def parse(self, row: int, values: dict[str, list[str]], ctx: Context) -> Any | None:
        """A checked record, or None after reporting the row's errors through ctx."""

    def flush(self, records: list[tuple[int, Any]], ctx: Context) -> None:
        """Match, count and (when ctx.write) save one chunk of checked records."""

    def finish(self, ctx: Context) -> None:
        """Anything kept back until the whole file was read (orders group their lines)."""


@dataclass
class RunResult:
    counts: Counts
    total_rows: int
    written: bool
    error_sample: list[dict[str, Any]] = field(default_factory=list)
    errors_csv: bytes = b""
    message: str = ""


class _Rollback(Exception):
    pass


def _column_plan(
    headers: Sequence[str], mapping: dict[str, str], specs: Sequence[FieldSpec]
) -> list[tuple[int, str, bool]]:
    multi = {spec.key: spec.multi for spec in specs}
    return [
        (index, mapping[header], multi.get(mapping[header], False))
        for index, header in enumerate(headers)
        if header in mapping and mapping[header] in multi
    ]


def run_file(
    *,
    path: Path,
    name: str,
    entity: str,
    mapping: dict[str, str],
    duplicates: str,
    skip_bad_rows: bool,
    actor: User,
    write: bool,
    on_progress: Callable[[int], None] | None = None,
    on_written: Callable[[Counts], None] | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> RunResult:
    """Import (write=True) or check the file; all-or-nothing unless skip_bad_rows.

    ``on_written`` runs inside the import's transaction just before it commits; raising
    there undoes the import.
    """
    from hamkor.imports.services.writers import writer_for

    writer = writer_for(entity)
    specs = fields_for(entity)
    with open_table(path, name=name) as table:
        sink = ErrorSink(table.headers)
        column_of: dict[str, str] = {}
        for header, key in mapping.items():
            column_of.setdefault(key, header)
        ctx = Context(
            actor=actor,
            duplicates=duplicates,
            write=write or writer.dry_run_writes,
            counts=Counts(),
            errors=sink,
            column_of=column_of,
        )
        plan = _column_plan(table.headers, mapping, specs)
        width = len(table.headers)
        try:
            with bulk_session(), transaction.atomic():
                _stream(
                    table.rows, plan, width, table.file_format, writer, ctx, chunk_size, on_progress
                )
                writer.finish(ctx)
                failed = bool(ctx.counts.errors) and not skip_bad_rows
                if not write or failed:
                    raise _Rollback
                if on_written is not None:
                    # Inside the transaction: the job is marked applied with its rows or not.
                    on_written(ctx.counts)
        except _Rollback:
            written = False
        else:
            written = True
        counts = ctx.counts
        message = ""
        if write and not written:
            message = _("Nothing was imported: fix the rows with errors or choose to skip them.")
        result = RunResult(
            counts=counts,
            total_rows=counts.processed,
            written=written,
            error_sample=sink.sample,
            errors_csv=sink.content() if counts.errors else b"",
            message=message,
        )
        sink.close()
    return result


def _stream(
    rows: Any,
    plan: list[tuple[int, str, bool]],
    width: int,
    file_format: str,
    writer: Writer,
    ctx: Context,
    chunk_size: int,
    on_progress: Callable[[int], None] | None,
) -> None:
    counts = ctx.counts
    chunk: list[tuple[int, Any]] = []
    for number, cells in rows:
        counts.processed += 1
        ctx.errors.remember(number, cells)
        if file_format == CSV and len(cells) != width:
            ctx.errors.add(
                number,
                "",
                _("The row has %(found)d columns; the header has %(expected)d.")
                % {"found": len(cells), "expected": width},
            )
            counts.errors += 1
        else:
            values: dict[str, list[str]] = {}
            for index, key, multi in plan:
                cell = cells[index].strip() if index < len(cells) else ""
                if not cell:
                    continue
                if multi:
                    parts = [p.strip() for p in cell.split(MULTI_SEPARATOR) if p.strip()]
                    values.setdefault(key, []).extend(parts)
                else:
                    values[key] = [cell]
            before = len(ctx.errors.rows_with_errors)
            record = writer.parse(number, values, ctx)
            if record is None or len(ctx.errors.rows_with_errors) != before:
                counts.errors += 1
            else:
                chunk.append((number, record))
        if len(chunk) >= chunk_size:
            writer.flush(chunk, ctx)
            chunk = []
            ctx.errors.forget()
        if on_progress is not None and counts.processed % PROGRESS_EVERY == 0:
            on_progress(counts.processed)
    if chunk:
        writer.flush(chunk, ctx)
    ctx.errors.forget()
    if on_progress is not None:
        on_progress(counts.processed)


def validation_messages(error: ValidationError) -> str:
    """One line from a service's ValidationError, fields named."""
    if hasattr(error, "error_dict"):
        return " ".join(
            " ".join(str(m) for m in messages) for messages in error.message_dict.values()
        )
    return " ".join(str(m) for m in error.messages)
