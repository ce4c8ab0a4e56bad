"""Data for the backup tests, written into a real install from a separate process.

`python -m tests.backups.writer SEED.json GO PROGRESS.json STOP` fills a migrated install
(HAMKOR_DATABASE_URL, HAMKOR_VAR_DIR) with factory data and a stored attachment and says so in
SEED.json; then, once the file GO appears, inserts contacts one transaction at a time,
recording after each commit how many it has inserted and the last id, until the file STOP
appears. One process does both: Django starts once for the seed and the writes.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

# How often the idle process looks for GO or STOP.
POLL_SECONDS = 0.02
# Between two inserts: writes keep coming all through a backup, without the writer taking a
# whole CPU from the backup process it races.
PAUSE_SECONDS = 0.02


def _save(path: Path, data: dict[str, object]) -> None:
    # Written whole and renamed, so the test never reads half a file.
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(data))
    os.replace(partial, path)


def seed(out: Path) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hamkor.projects.services.task_items import add_attachment
    from tests.accounts.factories import UserFactory
    from tests.contacts.factories import CompanyFactory, ContactFactory
    from tests.projects.factories import TaskFactory

    owner = UserFactory(username="backup-owner")
    contacts = [ContactFactory(owner=owner, last_name="Seeded") for _ in range(15)]
    company = CompanyFactory(owner=owner)
    task = TaskFactory(project__company=company)
    content = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
    attachment = add_attachment(
        task=task,
        upload=SimpleUploadedFile("plan.pdf", content, content_type="application/pdf"),
        actor=owner,
    )
    _save(
        out,
        {
            "owner_id": owner.pk,
            "contact_ids": [contact.pk for contact in contacts],
            "attachment": attachment.file.name,
        },
    )


def write(go: Path, progress: Path, stop: Path) -> None:
    from hamkor.accounts.models import User
    from tests.contacts.factories import ContactFactory

    owner = User.objects.get(username="backup-owner")
    while not go.exists():
        if stop.exists():
            return
        time.sleep(POLL_SECONDS)
    count = 0
    while not stop.exists():
        contact = ContactFactory(owner=owner, last_name="Concurrent")
        count += 1
        _save(progress, {"count": count, "last_id": contact.pk})
        time.sleep(PAUSE_SECONDS)


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamkor.config.settings")
    django.setup()
    seed_out, go, progress, stop = (Path(arg) for arg in sys.argv[1:])
    seed(seed_out)
    write(go, progress, stop)


if __name__ == "__main__":
    main()
