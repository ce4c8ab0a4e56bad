"""`hamkor backup` / `hamkor restore` on real SQLite files, run as the administrator runs them.

The suite's own test database lives in memory, which the online backup API and a restore in
place cannot show anything about; these tests drive the `hamkor` command in subprocesses
against SQLite files in a temporary folder, with another process writing all the while.

Each process starts Django afresh (seconds each), so the module shares what it can: one
install, one helper process that seeds it and later writes to it, one backup taken under
those writes that every archive test reads, and the restores of it run side by side.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
# Only so pytest-django sets the test database up: the source fixture copies it into a file.
pytestmark = pytest.mark.django_db


def _env(var_dir: Path) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("HAMKOR_") and name != "DJANGO_SETTINGS_MODULE"
    }
    env["HAMKOR_VAR_DIR"] = str(var_dir)
    env["HAMKOR_DATABASE_URL"] = f"sqlite:///{var_dir / 'hamkor.sqlite3'}"
    env["HAMKOR_LOG_LEVEL"] = "WARNING"
    env["PYTHONPATH"] = str(REPO)
    return env


def _start(var_dir: Path, *args: str, database_url: str = "") -> subprocess.Popen[str]:
    """`hamkor ARGS` against the install in ``var_dir`` (or ``database_url``), not waited for."""
    env = _env(var_dir)
    if database_url:
        env["HAMKOR_DATABASE_URL"] = database_url
    return subprocess.Popen(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "hamkor.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )


def _finish(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    try:
        stdout, stderr = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _hamkor(var_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _finish(_start(var_dir, *args))


def _helper(var_dir: Path) -> subprocess.Popen[str]:
    """The seeding and writing process of tests.backups.writer, its files in ``var_dir``."""
    files = ("seed.json", "go", "progress.json", "stop")
    return subprocess.Popen(  # noqa: S603 - our own interpreter and helper module
        [sys.executable, "-m", "tests.backups.writer", *(str(var_dir / name) for name in files)],
        env=_env(var_dir),
        cwd=REPO,
        text=True,
    )


def _counts(database: Path) -> dict[str, int]:
    with closing(sqlite3.connect(database)) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }


def _manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile("manifest.json")
        assert member is not None
        return json.loads(member.read())


def _wait_for(path: Path, *, count: int, helper: subprocess.Popen[str], timeout: float) -> dict:
    """The helper's JSON file once it exists with at least ``count`` contacts counted."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            data = json.loads(path.read_text())
            if data.get("count", count) >= count:
                return data
        if helper.poll() is not None:
            raise AssertionError(f"the helper process ended ({helper.returncode}) early")
        time.sleep(0.02)
    raise AssertionError(f"no {path.name} with {count} contacts after {timeout} s")


@dataclass(frozen=True)
class Install:
    folder: Path
    helper: subprocess.Popen[str]
    seed: dict


@pytest.fixture(scope="module")
def source(tmp_path_factory, django_db_setup, django_db_blocker) -> Iterator[Install]:
    """A migrated install with factory data and one stored attachment, and its helper
    process, idle until the backup under writes starts it writing.

    The suite's test database is migrated already; copying it into a file saves running
    `hamkor migrate` again. The PostgreSQL pass leaves SQLite to the SQLite pass.
    """
    if connection.vendor != "sqlite":
        pytest.skip("SQLite backups are tested in the SQLite pass (no HAMKOR_DATABASE_URL)")
    var_dir = tmp_path_factory.mktemp("source")
    with django_db_blocker.unblock():
        connection.ensure_connection()
        with closing(sqlite3.connect(var_dir / "hamkor.sqlite3")) as copy:
            connection.connection.backup(copy)
        connection.close()
    helper = _helper(var_dir)
    try:
        seed = _wait_for(var_dir / "seed.json", count=0, helper=helper, timeout=120)
        yield Install(var_dir, helper, seed)
    finally:
        (var_dir / "stop").touch()
        helper.wait(timeout=30)


@pytest.fixture(scope="module")
def seed(source) -> dict:
    return source.seed


@dataclass(frozen=True)
class Snapshot:
    """A backup taken while the helper inserted contacts, and the writes around it."""

    archive: Path
    # The helper's progress (contacts inserted, last id) as the backup started and ended.
    before: dict
    during: dict
    # Rows per table of the install once the helper stopped.
    final: dict[str, int]


@pytest.fixture(scope="module")
def snapshot(source, tmp_path_factory) -> Snapshot:
    """`hamkor backup` under concurrent writes; the one archive the tests below read."""
    out = tmp_path_factory.mktemp("archives")
    progress = source.folder / "progress.json"
    (source.folder / "go").touch()
    try:
        before = _wait_for(progress, count=5, helper=source.helper, timeout=30)
        backed_up = _hamkor(source.folder, "backup", "--output", str(out))
        during = json.loads(progress.read_text())
    finally:
        (source.folder / "stop").touch()
        source.helper.wait(timeout=30)
    assert backed_up.returncode == 0, backed_up.stderr
    assert source.helper.returncode == 0
    (archive,) = out.glob("hamkor-backup-*.tar.gz")
    return Snapshot(archive, before, during, _counts(source.folder / "hamkor.sqlite3"))


@pytest.fixture(scope="module")
def archive(snapshot) -> Path:
    return snapshot.archive


def _busy_copy(source: Path, target: Path) -> Path:
    """A copy of the install whose contacts all changed after the backup."""
    shutil.copytree(
        source, target, ignore=shutil.ignore_patterns("backups", "*.json", "go", "stop")
    )
    with closing(sqlite3.connect(target / "hamkor.sqlite3")) as connection:
        connection.execute("UPDATE contacts_contact SET last_name = 'Changed after backup'")
        connection.commit()
    return target


@dataclass(frozen=True)
class Restores:
    """`hamkor restore` of the archive into four installs, one test each."""

    folder: Path
    into_empty: subprocess.CompletedProcess[str]
    into_busy: subprocess.CompletedProcess[str]
    into_busy_with_yes: subprocess.CompletedProcess[str]
    into_postgresql: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def restores(source, archive, tmp_path_factory) -> Restores:
    """The four restores, run side by side: none depends on another, and most of each one's
    time is Django starting up."""
    folder = tmp_path_factory.mktemp("restores")
    for name in ("empty", "postgresql"):
        (folder / name).mkdir()
    busy = _busy_copy(source.folder, folder / "busy")
    forced = _busy_copy(source.folder, folder / "forced")
    started = [
        _start(folder / "empty", "restore", str(archive)),
        _start(busy, "restore", str(archive)),
        _start(forced, "restore", str(archive), "--yes"),
        # Nothing listens there: the vendor check must come before any connection.
        _start(
            folder / "postgresql",
            "restore",
            str(archive),
            database_url="postgres://nobody@127.0.0.1:9/nothing",
        ),
    ]
    return Restores(folder, *(_finish(process) for process in started))


def test_backup_restore_round_trip_under_concurrent_writes(source, snapshot, seed, restores):
    before, during, final = snapshot.before, snapshot.during, snapshot.final
    manifest = _manifest(snapshot.archive)
    target = restores.folder / "empty"

    restored = restores.into_empty

    assert restored.returncode == 0, restored.stderr
    assert "match the backup" in restored.stdout
    # The writer really was writing while the snapshot was taken.
    assert during["count"] > before["count"]
    counts = _counts(target / "hamkor.sqlite3")
    assert {table: counts.get(table) for table in manifest["tables"]} == manifest["tables"]
    seeded_and_before = len(seed["contact_ids"]) + before["count"]
    with closing(sqlite3.connect(target / "hamkor.sqlite3")) as connection:
        present = connection.execute(
            "SELECT COUNT(*) FROM contacts_contact WHERE id <= ?", (before["last_id"],)
        ).fetchone()[0]
        attachment = connection.execute("SELECT file FROM projects_taskattachment").fetchone()
    assert present == seeded_and_before
    assert seeded_and_before <= manifest["tables"]["contacts_contact"]
    assert manifest["tables"]["contacts_contact"] <= final["contacts_contact"]
    assert attachment == (seed["attachment"],)
    original = (source.folder / "media" / seed["attachment"]).read_bytes()
    assert (target / "media" / seed["attachment"]).read_bytes() == original
    call_command("backup", verify=str(snapshot.archive))


def test_backup_manifest_describes_snapshot(archive, seed):
    manifest = _manifest(archive)

    assert manifest["database"]["vendor"] == "sqlite"
    assert manifest["tables"]["contacts_contact"] >= len(seed["contact_ids"])
    assert "0001_initial" in manifest["migrations"]["contacts"]
    assert set(manifest["files"]) == {"database.sqlite3", "media/" + seed["attachment"]}
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"].values())
    assert manifest["missing_media"] == []


def test_verify_fails_on_changed_byte(archive, tmp_path):
    damaged = tmp_path / "damaged.tar.gz"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))

    with pytest.raises(CommandError, match="is damaged"):
        call_command("backup", verify=str(damaged))


def _repack_with_changed_media(archive: Path, out: Path, media_name: str) -> None:
    with tarfile.open(archive, "r:gz") as source, tarfile.open(out, "w:gz") as target:
        for member in source:
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == media_name:
                data = data[:-1] + bytes([data[-1] ^ 0x01])
            target.addfile(member, io.BytesIO(data))


def test_verify_and_restore_refuse_archive_with_changed_file(archive, seed, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    media_name = "media/" + seed["attachment"]
    tampered = tmp_path / "tampered.tar.gz"
    _repack_with_changed_media(archive, tampered, media_name)

    with pytest.raises(CommandError) as verified:
        call_command("backup", verify=str(tampered))
    with pytest.raises(CommandError) as restored:
        call_command("restore", str(tampered), force=True)

    assert f"damaged: {media_name} does not match the checksum" in str(verified.value)
    assert "does not match the checksum" in str(restored.value)
    assert not (tmp_path / "media" / seed["attachment"]).exists()


def test_restore_refuses_non_empty_database_without_yes(archive, restores):
    busy, forced = restores.folder / "busy", restores.folder / "forced"

    refused, replaced = restores.into_busy, restores.into_busy_with_yes

    assert refused.returncode != 0
    assert "The database is not empty" in refused.stderr
    assert "--yes" in refused.stderr
    assert replaced.returncode == 0, replaced.stderr
    with closing(sqlite3.connect(busy / "hamkor.sqlite3")) as connection:
        kept = {row[0] for row in connection.execute("SELECT last_name FROM contacts_contact")}
    with closing(sqlite3.connect(forced / "hamkor.sqlite3")) as connection:
        names = {row[0] for row in connection.execute("SELECT last_name FROM contacts_contact")}
    assert kept == {"Changed after backup"}
    assert "Changed after backup" not in names
    assert (
        _counts(forced / "hamkor.sqlite3")["contacts_contact"]
        == (_manifest(archive)["tables"]["contacts_contact"])
    )


def test_restore_of_sqlite_backup_into_postgresql_is_refused(restores):
    result = restores.into_postgresql

    assert result.returncode != 0
    assert "backup is of a SQLite database, but this install uses PostgreSQL" in result.stderr


def test_restore_of_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "nope.tar.gz"))
