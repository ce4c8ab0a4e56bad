"""Background jobs: the nightly backup (HAMKOR_BACKUP_TIME, local time; `off` switches it off)."""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo

from django.conf import settings
from huey.contrib.djhuey import HUEY, db_periodic_task, lock_task

from hamkor.backups import conf
from hamkor.backups.errors import BackupError
from hamkor.backups.services import create_backup

logger = logging.getLogger(__name__)


def backup_due(timestamp: dt.datetime) -> bool:
    """True in the minute HAMKOR_BACKUP_TIME names, in the installation's TIME_ZONE.

    Huey hands the scheduler a naive UTC time (its default ``utc=True``), or the server's local
    time with ``utc=False``; the setting is read here, at every check, not at import.
    """
    try:
        due = conf.backup_time()
    except BackupError as error:
        logger.error("Nightly backup not scheduled", extra={"error": str(error)})
        return False
    if due is None:
        return False
    if timestamp.tzinfo is None:
        timestamp = timestamp.replace(tzinfo=dt.UTC) if HUEY.utc else timestamp.astimezone()
    local = timestamp.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return (local.hour, local.minute) == due


@db_periodic_task(backup_due)
@lock_task("backups-nightly")
def backup_nightly() -> str:
    """Write an archive into HAMKOR_BACKUP_DIR and prune to HAMKOR_BACKUP_KEEP; its path."""
    result = create_backup()
    for name in result.manifest["missing_media"]:
        logger.warning("Stored file missing from the nightly backup", extra={"file": name})
    logger.info(
        "Nightly backup written",
        extra={"path": str(result.path), "pruned": [str(path) for path in result.pruned]},
    )
    return str(result.path)
