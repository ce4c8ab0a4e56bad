"""The database half of a backup: a consistent snapshot with its row counts, and putting it back.

SQLite: the online backup API copies every page inside one read transaction; with WAL on, the
web server and the worker go on writing while it runs and the copy is the database as of its
first page. PostgreSQL: one REPEATABLE READ transaction exports its snapshot, `pg_dump
--snapshot` dumps exactly that state, and the row counts and file names of the manifest are
read in the same transaction, so the manifest describes the dump and not a moment later.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _

from hamkor.backups.errors import BackupError

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
VENDOR_NAMES = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}
# Django's OPTIONS for PostgreSQL that are not libpq connection parameters.
_DJANGO_ONLY_OPTIONS = {"isolation_level", "server_side_binding", "pool", "assume_role"}
# A dump, restore or listing this long is taken to be stuck.
CLIENT_TIMEOUT_SECONDS = 6 * 60 * 60


class _Cursor(Protocol):
    def execute(self, sql: str, params: Any = ..., /) -> Any: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> Any: ...


@dataclass
class Snapshot:
    """What a database snapshot holds, read from the very state that was copied."""

    vendor: str
    server_version: str
    tables: dict[str, int]
    migrations: dict[str, list[str]]
    # Names of stored files the snapshot's rows point at (FileField values).
    media_names: set[str] = field(default_factory=set)
    tool: str = ""


def vendor_name(vendor: str) -> str:
    return VENDOR_NAMES.get(vendor, vendor)


def require_supported(vendor: str) -> None:
    if vendor not in VENDOR_NAMES:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL; this database is %(vendor)s.")
            % {"vendor": vendor}
        )


def file_columns(table_names: Iterable[str]) -> list[tuple[str, str]]:
    """(table, column) of every file field whose table is among ``table_names``."""
    present = set(table_names)
    columns = []
    for model in apps.get_models():
        if model._meta.db_table not in present:
            continue
        for model_field in model._meta.local_concrete_fields:
            if isinstance(model_field, models.FileField):
                columns.append((model._meta.db_table, model_field.column))
    return sorted(columns)


def _quote(name: str) -> str:
    """A table name (``schema.table`` for other PostgreSQL schemas) as a quoted identifier."""
    return ".".join('"' + part.replace('"', '""') + '"' for part in name.split("."))


def _read_contents(
    cursor: _Cursor, tables: list[str], with_migrations: bool = True
) -> tuple[dict[str, int], dict[str, list[str]], set[str]]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - quoted names
        counts[table] = int(cursor.fetchone()[0])
    migrations: dict[str, list[str]] = {}
    if with_migrations and "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, id")
        for app, name in cursor.fetchall():
            migrations.setdefault(str(app), []).append(str(name))
    names: set[str] = set()
    for table, column in file_columns(tables):
        cursor.execute(
            f"SELECT DISTINCT {_quote(column)} FROM {_quote(table)} "  # noqa: S608 - quoted
            f"WHERE {_quote(column)} IS NOT NULL AND {_quote(column)} <> ''"
        )
        names.update(str(row[0]) for row in cursor.fetchall())
    return counts, migrations, names


# --- SQLite ---


def _sqlite_tables(cursor: _Cursor) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [str(row[0]) for row in cursor.fetchall()]


def sqlite_counts(connection: sqlite3.Connection) -> dict[str, int]:
    """Rows per table of an open SQLite database."""
    cursor = connection.cursor()
    return _read_contents(cursor, _sqlite_tables(cursor), with_migrations=False)[0]


def snapshot_sqlite(*, settings_dict: dict[str, Any], target: Path) -> Snapshot:
    """Copy the live SQLite database into ``target`` while others keep writing."""
    source_path = Path(str(settings_dict["NAME"]))
    if not source_path.is_file():
        raise BackupError(_("The SQLite database %(path)s does not exist.") % {"path": source_path})
    try:
        with (
            closing(sqlite3.connect(source_path, timeout=30)) as source,
            closing(sqlite3.connect(target)) as copy,
        ):
            # pages=-1: every page in one step, so one read transaction sees one state. Copying
            # in slices would restart whenever another connection writes, forever on a busy day.
            source.backup(copy, pages=-1)
            # The copy is a single self-contained file; the live database keeps its WAL.
            copy.execute("PRAGMA journal_mode=DELETE")
            cursor = copy.cursor()
            counts, migrations, names = _read_contents(cursor, _sqlite_tables(cursor))
    except sqlite3.Error as error:
        raise BackupError(
            _("The SQLite database %(path)s could not be copied: %(error)s")
            % {"path": source_path, "error": error}
        ) from error
    return Snapshot(
        vendor=SQLITE,
        server_version=sqlite3.sqlite_version,
        tables=counts,
        migrations=migrations,
        media_names=names,
        tool="sqlite3 backup API",
    )


def check_sqlite(path: Path) -> dict[str, int]:
    """``PRAGMA integrity_check`` on a snapshot file; its rows per table."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            result = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                raise BackupError(
                    _("The database in the backup is damaged: %(problems)s")
                    % {"problems": "; ".join(result[:5])}
                )
            return sqlite_counts(connection)
    except sqlite3.Error as error:
        raise BackupError(
            _("The database in the backup cannot be read: %(error)s") % {"error": error}
        ) from error


def restore_sqlite(*, settings_dict: dict[str, Any], snapshot: Path) -> None:
    """Write the snapshot over the configured SQLite database, pages and all.

    The backup API writes under the database's own lock and through its WAL, so unlike a file
    copy it can neither mix the new file with an old WAL nor tear under a reader.
    """
    target = Path(str(settings_dict["NAME"]))
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (
            closing(sqlite3.connect(f"file:{snapshot}?mode=ro", uri=True)) as source,
            closing(sqlite3.connect(target, timeout=30)) as live,
        ):
            source.backup(live, pages=-1)
    except sqlite3.Error as error:
        raise BackupError(
            _("The SQLite database %(path)s could not be written: %(error)s")
            % {"path": target, "error": error}
        ) from error


# --- PostgreSQL ---


@dataclass
class _Postgres:
    """How to reach one PostgreSQL database, from Django settings or a database URL."""

    conninfo: str
    password: str

    @classmethod
    def from_settings(cls, settings_dict: dict[str, Any]) -> _Postgres:
        from psycopg.conninfo import make_conninfo

        params: dict[str, Any] = {
            key: value
            for key, value in (settings_dict.get("OPTIONS") or {}).items()
            if key not in _DJANGO_ONLY_OPTIONS and isinstance(value, str | int)
        }
        for key, name in (("dbname", "NAME"), ("user", "USER"), ("host", "HOST"), ("port", "PORT")):
            if settings_dict.get(name):
                params[key] = str(settings_dict[name])
        return cls(
            conninfo=make_conninfo(**params), password=str(settings_dict.get("PASSWORD") or "")
        )

    @classmethod
    def from_url(cls, url: str) -> _Postgres:
        import dj_database_url

        parsed = dj_database_url.parse(url)
        if parsed["ENGINE"] != "django.db.backends.postgresql":
            raise BackupError(
                _("%(url)s is not a PostgreSQL database URL.") % {"url": url.split("@")[-1]}
            )
        return cls.from_settings(dict(parsed))

    def env(self) -> dict[str, str]:
        # The password goes through the environment: argv is visible to every local user.
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self) -> Any:
        import psycopg

        try:
            return psycopg.connect(self.conninfo, password=self.password or None, autocommit=True)
        except psycopg.Error as error:
            raise BackupError(
                _("Cannot connect to PostgreSQL: %(error)s") % {"error": str(error).strip()}
            ) from error


def _postgres_tables(cursor: _Cursor) -> list[str]:
    cursor.execute(
        "SELECT n.nspname, c.relname FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%' "
        "ORDER BY 1, 2"
    )
    return [
        str(table) if schema == "public" else f"{schema}.{table}"
        for schema, table in cursor.fetchall()
    ]


def postgres_counts(cursor: _Cursor) -> dict[str, int]:
    """Rows per table of an open PostgreSQL database (``schema.table`` outside public)."""
    return _read_contents(cursor, _postgres_tables(cursor), with_migrations=False)[0]


def client_tool(name: str) -> tuple[str, int, str]:
    """The path, major version and version line of a PostgreSQL client program."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "%(tool)s was not found. Install the PostgreSQL client programs of your "
                "server's version (Debian: apt install postgresql-client-15)."
            )
            % {"tool": name}
        )
    output = subprocess.run(  # noqa: S603 - a found program with a fixed argument
        [path, "--version"], capture_output=True, text=True, timeout=30, check=False
    ).stdout.strip()
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    if match is None:
        raise BackupError(
            _("Cannot tell the version of %(tool)s from %(output)r.")
            % {"tool": path, "output": output}
        )
    return path, int(match.group(1)), output


def _run_client(argv: list[str], *, env: dict[str, str], what: str) -> str:
    try:
        result = subprocess.run(  # noqa: S603 - argv built from a found program and our paths
            argv,
            capture_output=True,
            text=True,
            env=env,
            timeout=CLIENT_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise BackupError(_("%(what)s took too long and was stopped.") % {"what": what}) from error
    if result.returncode != 0:
        raise BackupError(
            _("%(what)s failed: %(error)s")
            % {"what": what, "error": result.stderr.strip()[-2000:] or result.returncode}
        )
    return result.stdout


def _server_major(cursor: _Cursor) -> tuple[int, str]:
    cursor.execute(
        "SELECT current_setting('server_version_num'), current_setting('server_version')"
    )
    number, text = cursor.fetchone()
    return int(number) // 10000, str(text)


def snapshot_postgres(*, settings_dict: dict[str, Any], target: Path) -> Snapshot:
    """`pg_dump --format=custom` of one exported snapshot; counts read in that snapshot."""
    pg_dump, client_major, tool = client_tool("pg_dump")
    database = _Postgres.from_settings(settings_dict)
    with closing(database.connect()) as connection, closing(connection.cursor()) as cursor:
        server_major, server_version = _server_major(cursor)
        if client_major < server_major:
            raise BackupError(
                _(
                    "%(tool)s is version %(client)s but the server runs PostgreSQL "
                    "%(server)s; install postgresql-client-%(server)s."
                )
                % {"tool": pg_dump, "client": client_major, "server": server_major}
            )
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = str(cursor.fetchone()[0])
        _run_client(
            [
                pg_dump,
                "--format=custom",
                f"--snapshot={snapshot_id}",
                "--no-password",
                f"--file={target}",
                f"--dbname={database.conninfo}",
            ],
            env=database.env(),
            what="pg_dump",
        )
        counts, migrations, names = _read_contents(cursor, _postgres_tables(cursor))
        cursor.execute("COMMIT")
    return Snapshot(
        vendor=POSTGRESQL,
        server_version=server_version,
        tables=counts,
        migrations=migrations,
        media_names=names,
        tool=tool,
    )


def _require_restore_tool(dump_major: int) -> str:
    pg_restore, major, _output = client_tool("pg_restore")
    if major < dump_major:
        raise BackupError(
            _(
                "The backup was written by pg_dump %(dump)s; %(tool)s is version %(client)s "
                "and cannot read it. Install postgresql-client-%(dump)s."
            )
            % {"dump": dump_major, "tool": pg_restore, "client": major}
        )
    return pg_restore


def list_postgres_dump(*, dump: Path, dump_major: int) -> int:
    """`pg_restore --list`: the dump's table of contents is readable; its number of entries."""
    pg_restore = _require_restore_tool(dump_major)
    listing = _run_client(
        [pg_restore, "--list", str(dump)], env=dict(os.environ), what="pg_restore --list"
    )
    return sum(1 for line in listing.splitlines() if line and not line.startswith(";"))


def _restore_into(database: _Postgres, *, dump: Path, dump_major: int) -> dict[str, int]:
    pg_restore = _require_restore_tool(dump_major)
    _run_client(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            # All or nothing: a failed restore leaves the database as it was.
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={database.conninfo}",
            str(dump),
        ],
        env=database.env(),
        what="pg_restore",
    )
    with closing(database.connect()) as connection, closing(connection.cursor()) as cursor:
        return postgres_counts(cursor)


def restore_postgres(*, settings_dict: dict[str, Any], dump: Path, dump_major: int) -> None:
    """`pg_restore --clean --if-exists --no-owner` into the configured database."""
    _restore_into(_Postgres.from_settings(settings_dict), dump=dump, dump_major=dump_major)


def restore_postgres_scratch(*, url: str, dump: Path, dump_major: int) -> dict[str, int]:
    """Restore the dump into the scratch database at ``url``; its rows per table."""
    return _restore_into(_Postgres.from_url(url), dump=dump, dump_major=dump_major)


@contextmanager
def open_live(settings_dict: dict[str, Any], vendor: str) -> Iterator[_Cursor]:
    """A cursor on the configured database outside Django's connection handling."""
    if vendor == SQLITE:
        path = Path(str(settings_dict["NAME"]))
        with closing(sqlite3.connect(path, timeout=30)) as connection:
            yield connection.cursor()
        return
    with (
        closing(_Postgres.from_settings(settings_dict).connect()) as connection,
        closing(connection.cursor()) as cursor,
    ):
        yield cursor


def live_tables(cursor: _Cursor, vendor: str) -> list[str]:
    return _sqlite_tables(cursor) if vendor == SQLITE else _postgres_tables(cursor)


def live_counts(settings_dict: dict[str, Any], vendor: str) -> dict[str, int]:
    """Rows per table of the configured database, read afresh."""
    with open_live(settings_dict, vendor) as cursor:
        return _read_contents(cursor, live_tables(cursor, vendor), with_migrations=False)[0]
