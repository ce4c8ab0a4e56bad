import datetime as dt
import os

import pytest
from django.core.management import CommandError, call_command

from hamkor.backups import conf
from hamkor.backups.errors import BackupError
from hamkor.backups.services import databases, list_backups, prune_backups
from hamkor.backups.tasks import backup_due


def _archive(folder, name, age_hours):
    path = folder / name
    path.write_bytes(b"x")
    stamp = 1_800_000_000 - age_hours * 3600
    os.utime(path, (stamp, stamp))
    return path


def test_prune_backups_keeps_the_newest_and_ignores_other_files(tmp_path):
    oldest = _archive(tmp_path, "hamkor-backup-20260101-023000.tar.gz", 72)
    older = _archive(tmp_path, "hamkor-backup-20260102-023000.tar.gz", 48)
    newer = _archive(tmp_path, "hamkor-backup-20260103-023000.tar.gz", 24)
    newest = _archive(tmp_path, "hamkor-backup-20260104-023000.tar.gz", 0)
    other = _archive(tmp_path, "notes.tar.gz", 100)

    pruned = prune_backups(folder=tmp_path, keep=2)

    assert pruned == [oldest, older]
    assert list_backups(tmp_path) == [newer, newest]
    assert other.exists()


def test_prune_backups_with_keep_zero_keeps_all(tmp_path):
    _archive(tmp_path, "hamkor-backup-20260101-023000.tar.gz", 72)
    _archive(tmp_path, "hamkor-backup-20260102-023000.tar.gz", 48)

    assert prune_backups(folder=tmp_path, keep=0) == []
    assert len(list_backups(tmp_path)) == 2


def test_backup_settings_have_documented_defaults(settings, monkeypatch):
    for name in ("HAMKOR_BACKUP_DIR", "HAMKOR_BACKUP_KEEP", "HAMKOR_BACKUP_TIME"):
        monkeypatch.delenv(name, raising=False)
        if hasattr(settings, name):
            delattr(settings, name)

    assert conf.backup_dir() == settings.VAR_DIR / "backups"
    assert conf.backup_keep() == 7
    assert conf.backup_time() == (2, 30)


def test_backup_keep_rejects_a_negative_number(settings):
    settings.HAMKOR_BACKUP_KEEP = "-1"

    with pytest.raises(BackupError, match="HAMKOR_BACKUP_KEEP must be a whole number"):
        conf.backup_keep()


def test_backup_due_at_the_local_time(settings):
    settings.TIME_ZONE = "Asia/Tashkent"
    settings.HAMKOR_BACKUP_TIME = "02:30"

    # Huey hands the scheduler naive UTC times; Tashkent is UTC+5.
    assert backup_due(dt.datetime(2026, 3, 1, 21, 30)) is True  # noqa: DTZ001
    assert backup_due(dt.datetime(2026, 3, 1, 2, 30)) is False  # noqa: DTZ001
    assert backup_due(dt.datetime(2026, 3, 1, 21, 31)) is False  # noqa: DTZ001


def test_backup_due_never_when_switched_off(settings):
    settings.HAMKOR_BACKUP_TIME = "off"

    assert backup_due(dt.datetime(2026, 3, 1, 21, 30)) is False  # noqa: DTZ001


def test_backup_time_rejects_nonsense(settings):
    settings.HAMKOR_BACKUP_TIME = "25:99"

    with pytest.raises(BackupError, match="HAMKOR_BACKUP_TIME must look like 02:30"):
        conf.backup_time()


def test_missing_postgresql_client_is_named(monkeypatch):
    monkeypatch.setattr(databases.shutil, "which", lambda _name: None)

    with pytest.raises(BackupError, match="pg_dump was not found"):
        databases.client_tool("pg_dump")


def test_backup_to_missing_folder_fails_with_message(tmp_path, db):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", output=str(tmp_path / "no" / "such" / "x.tar.gz"))


def test_verify_of_a_file_that_is_not_an_archive_fails(tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_text("not a backup")

    with pytest.raises(CommandError, match="is damaged or not a Hamkor backup"):
        call_command("backup", verify=str(junk))
