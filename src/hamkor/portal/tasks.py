"""Background jobs of the portal."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hamkor.portal.services import purge_login_codes


@db_periodic_task(crontab(minute="17", hour="3"))
def purge_old_login_codes() -> int:
    """Nightly: forget old code requests and idle throttle rows."""
    return purge_login_codes()
