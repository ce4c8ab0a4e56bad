"""`hamkor backup` / `hamkor restore` on real SQLite files, run as the administrator runs them.

The suite's own test database lives in memory, which the online backup API and a restore in
place cannot show anything about; these tests drive the `hamkor` command in subprocesses
against SQLite files in a temporary folder, with another process writing all the while.
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
from contextlib import closing
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


def _hamkor(var_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "hamkor.cli", *args],
        capture_output=True,
        text=True,
        env=_env(var_dir),
        cwd=REPO,
        timeout=120,
    )


def _writer(var_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and helper module
        [sys.executable, "-m", "tests.backups.writer", *args],
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


def _wait_for(path: Path, *, count: int, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            data = json.loads(path.read_text())
            if data["count"] >= count:
                return data
        time.sleep(0.05)
    raise AssertionError(f"the writer did not reach {count} contacts in {timeout} s")


@pytest.fixture(scope="module")
def source(tmp_path_factory, django_db_setup, django_db_blocker) -> Path:
    """A migrated install with factory data and one stored attachment.

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
    seeded = _writer(var_dir, "seed", str(var_dir / "seed.json"))
    assert seeded.wait(timeout=120) == 0
    return var_dir


@pytest.fixture(scope="module")
def seed(source) -> dict:
    return json.loads((source / "seed.json").read_text())


@pytest.fixture(scope="module")
def archive(source, tmp_path_factory) -> Path:
    """One quiet backup of the source install."""
    out = tmp_path_factory.mktemp("archives")
    result = _hamkor(source, "backup", "--output", str(out / "quiet.tar.gz"))
    assert result.returncode == 0, result.stderr
    return out / "quiet.tar.gz"


def test_backup_restore_round_trip_under_concurrent_writes(source, seed, tmp_path):
    progress, stop = tmp_path / "progress.json", tmp_path / "stop"
    writer = _writer(source, "write", str(progress), str(stop))
    try:
        before = _wait_for(progress, count=5)
        backed_up = _hamkor(source, "backup", "--output", str(tmp_path))
        during = json.loads(progress.read_text())
    finally:
        stop.touch()
        writer.wait(timeout=30)
    final = _counts(source / "hamkor.sqlite3")
    (archive,) = tmp_path.glob("hamkor-backup-*.tar.gz")
    manifest = _manifest(archive)
    target = tmp_path / "restored"
    target.mkdir()

    restored = _hamkor(target, "restore", str(archive))

    assert backed_up.returncode == 0, backed_up.stderr
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
    original = (source / "media" / seed["attachment"]).read_bytes()
    assert (target / "media" / seed["attachment"]).read_bytes() == original
    call_command("backup", verify=str(archive))


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


def test_restore_refuses_non_empty_database_without_yes(archive, source, tmp_path):
    target = tmp_path / "busy"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("backups", "*.json"))
    with closing(sqlite3.connect(target / "hamkor.sqlite3")) as connection:
        connection.execute("UPDATE contacts_contact SET last_name = 'Changed after backup'")
        connection.commit()

    refused = _hamkor(target, "restore", str(archive))
    unchanged = _counts(target / "hamkor.sqlite3")
    forced = _hamkor(target, "restore", str(archive), "--yes")

    assert refused.returncode != 0
    assert "The database is not empty" in refused.stderr
    assert "--yes" in refused.stderr
    with closing(sqlite3.connect(target / "hamkor.sqlite3")) as connection:
        names = {row[0] for row in connection.execute("SELECT last_name FROM contacts_contact")}
    assert forced.returncode == 0, forced.stderr
    assert unchanged["contacts_contact"] > 0
    assert "Changed after backup" not in names
    assert (
        _counts(target / "hamkor.sqlite3")["contacts_contact"]
        == (_manifest(archive)["tables"]["contacts_contact"])
    )


def test_restore_of_sqlite_backup_into_postgresql_is_refused(archive, tmp_path):
    env_dir = tmp_path / "pg"
    env_dir.mkdir()
    env = _env(env_dir)
    # Nothing listens there: the vendor check must come before any connection.
    env["HAMKOR_DATABASE_URL"] = "postgres://nobody@127.0.0.1:9/nothing"

    result = subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "hamkor.cli", "restore", str(archive)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )

    assert result.returncode != 0
    assert "backup is of a SQLite database, but this install uses PostgreSQL" in result.stderr


def test_restore_of_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "nope.tar.gz"))
