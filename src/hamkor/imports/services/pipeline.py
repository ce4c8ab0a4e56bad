"""Reading and checking an import's rows in a second process while this one writes.

On two cores the halves overlap. The child opens the file itself, runs ``parse_chunks`` and
sends each chunk back through a bounded queue (a few chunks in flight, so memory stays
flat); this process keeps the transaction, the counts, the error file and every database
write, so a failed import leaves nothing behind either way. The child is forked: it shares
this process's settings and writer (whose ``parse`` touches no database), takes the active
language along, and never uses the database connection it inherits (it ends with
``os._exit``, which closes nothing of its parent's).
"""

from __future__ import annotations

import multiprocessing
import pickle
import queue as queue_errors
from collections.abc import Generator
from pathlib import Path
from typing import Any

from django.utils import translation

from hamkor.imports.services.engine import Chunk, Context, Reading, Writer, parse_chunks
from hamkor.imports.services.readers import open_table

# Chunks read ahead of the writer: enough to keep both processes busy, few enough to keep
# memory flat however big the file.
QUEUED_CHUNKS = 3
POLL_SECONDS = 1.0


class ReaderStopped(RuntimeError):
    """The reading process ended without finishing the file (killed, out of memory)."""


def parsed_elsewhere(
    path: Path, name: str, reading: Reading, writer: Writer, ctx: Context
) -> Generator[Chunk, None, None]:
    """The chunks ``parse_chunks`` would give, read and checked by a child process."""
    context = multiprocessing.get_context("fork")
    chunks: Any = context.Queue(maxsize=QUEUED_CHUNKS)
    process = context.Process(
        target=_produce,
        args=(path, name, reading, writer, ctx, translation.get_language(), chunks),
        name="hamkor-import-reader",
        daemon=True,
    )
    process.start()
    try:
        while True:
            try:
                kind, payload = chunks.get(timeout=POLL_SECONDS)
            except queue_errors.Empty:
                if process.is_alive():
                    continue
                try:
                    # It may have put its last message just before it ended.
                    kind, payload = chunks.get(timeout=POLL_SECONDS)
                except queue_errors.Empty:
                    raise ReaderStopped(
                        f"the import's reading process ended with code {process.exitcode}"
                    ) from None
            if kind == "chunk":
                yield payload
            elif kind == "error":
                raise payload
            else:
                return
    finally:
        if process.is_alive():
            process.terminate()
        process.join()
        chunks.close()


def _produce(
    path: Path,
    name: str,
    reading: Reading,
    writer: Writer,
    ctx: Context,
    language: str | None,
    chunks: Any,
) -> None:
    if language:
        translation.activate(language)
    try:
        with open_table(path, name=name) as table:
            for chunk in parse_chunks(table.rows, reading, writer, ctx):
                chunks.put(("chunk", chunk))
    except Exception as error:
        chunks.put(("error", _sendable(error)))
    else:
        chunks.put(("done", None))


def _sendable(error: Exception) -> Exception:
    """The error itself when it survives pickling (the queue pickles), else its text."""
    try:
        pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes, just made
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error
