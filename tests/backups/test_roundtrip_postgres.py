"""`hamkor backup` with pg_dump while other connections insert, restored into another database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import threading
from contextlib import closing
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from hamkor.contacts.models import Contact
from hamkor.projects.services.task_items import add_attachment
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory
from tests.projects.factories import TaskFactory

REPO = Path(__file__).resolve().parents[2]


def _restore_url() -> tuple[str, str]:
    """postgres://…/h_<name>_restore beside the suite's own test_h_<name> database."""
    settings_dict = connection.settings_dict
    name = str(settings_dict["NAME"]).removeprefix("test_") + "_restore"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{settings_dict['USER']}{password}@{host}:{port}/{name}", name


@pytest.fixture
def restore_database():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with HAMKOR_DATABASE_URL=postgres://…")
    import psycopg

    url, name = _restore_url()
    maintenance = url.rsplit("/", 1)[0] + "/postgres"
    with closing(psycopg.connect(maintenance, autocommit=True)) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield url
    with closing(psycopg.connect(maintenance, autocommit=True)) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _insert_until(stop: threading.Event, owner, inserted: list[int]) -> None:
    try:
        while not stop.is_set():
            inserted.append(ContactFactory(owner=owner, last_name="Concurrent").pk)
    finally:
        connection.close()


def _manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile("manifest.json")
        assert member is not None
        return json.loads(member.read())


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_pg_backup_restore_round_trip_under_concurrent_writes(
    restore_database, tmp_path, settings, monkeypatch
):
    import psycopg

    settings.MEDIA_ROOT = tmp_path / "media"
    owner = UserFactory(username="pg-backup-owner")
    seeded = [ContactFactory(owner=owner).pk for _ in range(10)]
    content = b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
    attachment = add_attachment(
        task=TaskFactory(),
        upload=SimpleUploadedFile("plan.pdf", content, content_type="application/pdf"),
        actor=owner,
    )
    stop, inserted = threading.Event(), []
    writers = [
        threading.Thread(target=_insert_until, args=(stop, owner, inserted)) for _ in range(2)
    ]
    for writer in writers:
        writer.start()
    try:
        while len(inserted) < 5:
            stop.wait(0.05)
        # Every id in the list was committed before the backup started.
        before = [*seeded, *inserted]
        call_command("backup", output=str(tmp_path))
        during = len(inserted)
    finally:
        stop.set()
        for writer in writers:
            writer.join(timeout=30)
    (archive,) = tmp_path.glob("hamkor-backup-*.tar.gz")
    manifest = _manifest(archive)
    monkeypatch.setenv("HAMKOR_BACKUP_VERIFY_DATABASE_URL", restore_database)
    settings.HAMKOR_BACKUP_VERIFY_DATABASE_URL = restore_database
    call_command("backup", verify=str(archive))
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("HAMKOR_") and name != "DJANGO_SETTINGS_MODULE"
    }
    env |= {
        "HAMKOR_DATABASE_URL": restore_database,
        "HAMKOR_VAR_DIR": str(tmp_path / "restored"),
        "HAMKOR_LOG_LEVEL": "WARNING",
    }

    def restore(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - our own interpreter and command
            [sys.executable, "-m", "hamkor.cli", "restore", str(archive), *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            timeout=120,
        )

    # The verification restored into the scratch database: it is not empty any more.
    refused = restore()
    restored = restore("--yes")

    assert during > 5
    assert "The database is not empty" in refused.stderr
    assert restored.returncode == 0, restored.stderr
    with closing(psycopg.connect(restore_database)) as target:
        counts = {
            table: target.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in manifest["tables"]
        }
        present = target.execute(
            "SELECT COUNT(*) FROM contacts_contact WHERE id = ANY(%s)", (before,)
        ).fetchone()[0]
        stored = target.execute("SELECT file FROM projects_taskattachment").fetchone()
    assert counts == manifest["tables"]
    assert manifest["database"]["vendor"] == "postgresql"
    assert present == len(before)
    assert manifest["tables"]["contacts_contact"] <= Contact.objects.count()
    assert stored == (attachment.file.name,)
    restored_file = tmp_path / "restored" / "media" / attachment.file.name
    assert restored_file.read_bytes() == content
