"""The import run: stream the rows, map and check them in chunks, hand them to a writer.

A run either writes (inside one transaction, rolled back at the end when any row failed and
bad rows were not to be skipped) or only checks. Counts and per-row errors come back either
way; the errors also go to a CSV file (row, column, message, the row's original values).

Reading and checking rows (``parse_chunks``) is apart from matching and saving them
(``Writer.flush``): for a big file whose writer allows it, a second process reads and checks
while this one writes (``hamkor.imports.services.pipeline``); the transaction, the counts
and the error file stay here, and the chunks and errors are the same either way.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Generator, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.imports.models import DuplicateMode
from hamkor.imports.services.bulk_sql import bulk_session
from hamkor.imports.services.fields import FieldSpec, fields_for
from hamkor.imports.services.readers import CSV, MULTI_SEPARATOR, open_table

CHUNK_SIZE = 5000
ERROR_SAMPLE = 50


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


class Errors(Protocol):
    def add(self, row: int, column: str, message: str) -> None: ...


class RowErrors:
    """Errors found while checking one chunk of rows, in order, for the ErrorSink later."""

    def __init__(self) -> None:
        self.found: list[tuple[int, str, str]] = []
        self.rows_with_errors: set[int] = set()

    def add(self, row: int, column: str, message: str) -> None:
        self.rows_with_errors.add(row)
        self.found.append((row, column, message))


class Chunk(NamedTuple):
    """Rows read and checked, ready for ``Writer.flush``: plain data, sent between processes."""

    processed: int
    records: list[tuple[int, Any]]
    # (row, column, message) of the rows that failed their checks, in order.
    errors: list[tuple[int, str, str]]
    # Those rows' cells for the error file; every row's when the writer may fail rows later.
    cells: dict[int, list[str]]
    failed: int


@dataclass
class Context:
    """What a writer needs: who imports, the options, and where counts and errors go."""

    actor: User
    duplicates: str
    write: bool
    counts: Counts
    errors: Errors
    column_of: dict[str, str]

    def error(self, row: int, key: str, message: str) -> None:
        self.errors.add(row, self.column_of.get(key, ""), message)


class Writer(Protocol):
    # A dry run of this writer goes through its writes in a transaction rolled back after.
    dry_run_writes: bool
    # parse() needs no database and its records pickle: it may run in a second process.
    parse_elsewhere: bool

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
        reading = Reading(
            plan=plan,
            width=len(table.headers),
            file_format=table.file_format,
            chunk_size=chunk_size,
            # Rows updated in flush may still fail (update mode): keep every row's cells.
            keep_cells=duplicates == DuplicateMode.UPDATE,
        )
        pipelined = use_pipeline(writer, path)
        try:
            with bulk_session(), transaction.atomic():
                if pipelined:
                    from hamkor.imports.services.pipeline import parsed_elsewhere

                    chunks = parsed_elsewhere(path, name, reading, writer, ctx)
                else:
                    chunks = parse_chunks(table.rows, reading, writer, ctx)
                # Closed on the way out even when a write fails: the reading process stops.
                with closing(chunks):
                    _write_chunks(chunks, writer, ctx, sink, on_progress)
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


@dataclass(frozen=True)
class Reading:
    """How rows become checked records: the column plan and the chunking."""

    plan: list[tuple[int, str, bool]]
    width: int
    file_format: str
    chunk_size: int
    keep_cells: bool


# Below this size a file is read and checked in this process: a second one only pays off
# when there is a lot to overlap (tests lower it to exercise the pipeline).
PIPELINE_MIN_BYTES = 2 * 1024 * 1024


def use_pipeline(writer: Writer, path: Path) -> bool:
    """Whether the file is read and checked in a second process (see ``pipeline``)."""
    import multiprocessing

    return (
        writer.parse_elsewhere
        and path.stat().st_size >= PIPELINE_MIN_BYTES
        and "fork" in multiprocessing.get_all_start_methods()
        # A daemonic process (some task runners) may not start children.
        and not multiprocessing.current_process().daemon
    )


def parse_chunks(
    rows: Iterable[tuple[int, list[str]]], reading: Reading, writer: Writer, ctx: Context
) -> Generator[Chunk, None, None]:
    """Map and check the rows; a chunk whenever ``chunk_size`` records are ready, and the rest."""
    chunk_size, keep_cells, plan = reading.chunk_size, reading.keep_cells, reading.plan
    check_width = reading.file_format == CSV
    width = reading.width
    errors = RowErrors()
    parse_ctx = Context(
        actor=ctx.actor,
        duplicates=ctx.duplicates,
        write=ctx.write,
        counts=Counts(),
        errors=errors,
        column_of=ctx.column_of,
    )
    parse = writer.parse
    records: list[tuple[int, Any]] = []
    kept: dict[int, list[str]] = {}
    processed = failed = 0
    for number, cells in rows:
        processed += 1
        if keep_cells:
            kept[number] = cells
        if check_width and len(cells) != width:
            errors.add(
                number,
                "",
                _("The row has %(found)d columns; the header has %(expected)d.")
                % {"found": len(cells), "expected": width},
            )
            failed += 1
            kept[number] = cells
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
            before = len(errors.rows_with_errors)
            record = parse(number, values, parse_ctx)
            if record is None or len(errors.rows_with_errors) != before:
                failed += 1
                kept[number] = cells
            else:
                records.append((number, record))
        if len(records) >= chunk_size:
            yield Chunk(processed, records, errors.found, kept, failed)
            errors = RowErrors()
            parse_ctx.errors = errors
            records, kept, processed, failed = [], {}, 0, 0
    if processed:
        yield Chunk(processed, records, errors.found, kept, failed)


def _write_chunks(
    chunks: Iterable[Chunk],
    writer: Writer,
    ctx: Context,
    sink: ErrorSink,
    on_progress: Callable[[int], None] | None,
) -> None:
    counts = ctx.counts
    for chunk in chunks:
        counts.processed += chunk.processed
        for number, cells in chunk.cells.items():
            sink.remember(number, cells)
        for number, column, message in chunk.errors:
            sink.add(number, column, message)
        counts.errors += chunk.failed
        if chunk.records:
            writer.flush(chunk.records, ctx)
        sink.forget()
        if on_progress is not None:
            on_progress(counts.processed)


def validation_messages(error: ValidationError) -> str:
    """One line from a service's ValidationError, fields named."""
    if hasattr(error, "error_dict"):
        return " ".join(
            " ".join(str(m) for m in messages) for messages in error.message_dict.values()
        )
    return " ".join(str(m) for m in error.messages)
