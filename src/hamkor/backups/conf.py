"""Backup settings, read at call time (HAMKOR_BACKUP_* in config/settings.py or the environment).

Each value comes from Django settings when config/settings.py defines it, else straight from
the environment, so the commands behave the same before and after the settings are declared.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from hamkor.backups.errors import BackupError

DEFAULT_KEEP = 7
DEFAULT_TIME = "02:30"
OFF = {"", "off", "none", "0", "no", "false"}


def _value(name: str, default: str) -> str:
    configured = getattr(settings, name, None)
    if configured is not None:
        return str(configured)
    return os.environ.get(name, default)


def backup_dir() -> Path:
    """Where `hamkor backup` writes and the nightly job keeps its archives."""
    configured = _value("HAMKOR_BACKUP_DIR", "")
    return Path(configured).expanduser() if configured else Path(settings.VAR_DIR) / "backups"


def backup_keep() -> int:
    """How many archives to keep in the backup folder; 0 keeps every one."""
    raw = _value("HAMKOR_BACKUP_KEEP", str(DEFAULT_KEEP))
    try:
        keep = int(raw)
    except ValueError:
        keep = -1
    if keep < 0:
        raise BackupError(
            _("HAMKOR_BACKUP_KEEP must be a whole number of 0 or more, not %(value)r.")
            % {"value": raw}
        )
    return keep


def backup_time() -> tuple[int, int] | None:
    """The local (TIME_ZONE) hour and minute of the nightly backup, or None when switched off."""
    raw = _value("HAMKOR_BACKUP_TIME", DEFAULT_TIME).strip()
    if raw.lower() in OFF:
        return None
    hour, _colon, minute = raw.partition(":")
    try:
        parsed = int(hour), int(minute or "0")
    except ValueError:
        parsed = (-1, -1)
    if not (0 <= parsed[0] <= 23 and 0 <= parsed[1] <= 59):
        raise BackupError(
            _("HAMKOR_BACKUP_TIME must look like 02:30 (or be off), not %(value)r.")
            % {"value": raw}
        )
    return parsed


def verify_database_url() -> str:
    """A scratch PostgreSQL database a verification may restore into (empty: none)."""
    return _value("HAMKOR_BACKUP_VERIFY_DATABASE_URL", "")
