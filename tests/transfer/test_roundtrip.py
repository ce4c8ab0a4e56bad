"""Export an install, restore it into an empty database: the restored install answers alike.

These tests commit (the restore's foreign keys are checked at COMMIT), so they flush the
database and run with transaction=True; they are kept to three (one of them PostgreSQL only).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from hamkor.billing.selectors.ageing import get_receivables_ageing
from hamkor.contacts.models import Contact, Source
from hamkor.contacts.selectors import ContactFilters, list_contacts
from hamkor.projects.models import TaskAttachment
from hamkor.sales.models import Order
from tests.contacts.factories import ContactFactory, SourceFactory
from tests.transfer.archives import member_texts, rewrite
from tests.transfer.dataset import ATTACHMENT_BYTES, build_install


def _answers(admin_pk: int) -> dict[str, object]:
    from hamkor.accounts.models import User

    admin = User.objects.get(pk=admin_pk)
    ageing = get_receivables_ageing(viewer=admin)
    return {
        "search": [c.pk for c in list_contacts(viewer=admin, filters=ContactFilters(q="yusup"))],
        "tag": [c.pk for c in list_contacts(viewer=admin, filters=ContactFilters(tag="vip"))],
        "order_totals": sorted(Order.objects.values_list("currency", "total")),
        "receivables": dict(ageing.totals),
    }


def _fresh_install() -> None:
    """What `hamkor migrate` leaves: content types, permissions and the default lists."""
    call_command("flush", interactive=False, verbosity=0)
    SourceFactory(name="Seeded by migrate")


@pytest.mark.django_db(transaction=True)
def test_restore_answers_the_same_queries(tmp_path: Path, settings) -> None:
    settings.MEDIA_ROOT = tmp_path / "media-source"
    SourceFactory(name="Referral")
    install = build_install()
    before = _answers(install.admin.pk)
    # Hand-computed: 500,000 + 12% tax = 560,000, less the 200,000 paid.
    assert sum(before["receivables"].values()) == Decimal("360000.00")  # type: ignore[attr-defined]
    assert before["order_totals"] == [("USD", Decimal("7.50")), ("UZS", Decimal("240000.00"))]
    assert before["search"] == [install.yusupova.pk]
    first = tmp_path / "first.zip"
    call_command("export", output=str(first), verbosity=0)

    _fresh_install()
    settings.MEDIA_ROOT = tmp_path / "media-restored"
    call_command("import_all", str(first), verbosity=0)

    assert _answers(install.admin.pk) == before
    restored = TaskAttachment.objects.get(pk=install.attachment.pk)
    with restored.file.open("rb") as stored:
        assert stored.read() == ATTACHMENT_BYTES
    assert str(tmp_path / "media-restored") in restored.file.path
    second = tmp_path / "second.zip"
    call_command("export", output=str(second), verbosity=0)
    one, two = member_texts(first), member_texts(second)
    assert sorted(one) == sorted(two)
    for name in one:
        if name != "manifest.json":
            assert one[name] == two[name], name
    manifest_one, manifest_two = json.loads(one["manifest.json"]), json.loads(two["manifest.json"])
    del manifest_one["created_at"], manifest_two["created_at"]
    assert manifest_one == manifest_two
    # The seeded source of the empty install gave way to the exported list.
    assert not Source.objects.filter(name="Seeded by migrate").exists()
    assert Source.objects.filter(name="Referral").count() == 1
    newest = max(Contact.objects.values_list("pk", flat=True))
    assert ContactFactory().pk > newest


@pytest.mark.django_db(transaction=True)
def test_restore_undoes_everything_when_the_database_refuses(tmp_path: Path, settings) -> None:
    settings.MEDIA_ROOT = tmp_path / "media-source"
    build_install()
    good = tmp_path / "good.zip"
    call_command("export", output=str(good), verbosity=0)
    broken = tmp_path / "broken.zip"
    # Contacts and orders now point at users that are not in the export.
    rewrite(good, broken, edits={"data/accounts.User.jsonl": lambda _content: b""})
    _fresh_install()
    settings.MEDIA_ROOT = tmp_path / "media-restored"

    with pytest.raises(CommandError, match="The import was undone"):
        call_command("import_all", str(broken), verbosity=0)

    assert not Contact.objects.exists()
    assert list(Source.objects.values_list("name", flat=True)) == ["Seeded by migrate"]
    assert not TaskAttachment.objects.exists()
    restored_files = [p for p in (tmp_path / "media-restored").rglob("*") if p.is_file()]
    assert restored_files == []


def _hamkor(*args: str, var_dir: Path) -> str:
    environment = {
        **os.environ,
        "HAMKOR_VAR_DIR": str(var_dir),
        "HAMKOR_DATABASE_URL": f"sqlite:///{var_dir / 'restored.sqlite3'}",
    }
    environment.pop("HAMKOR_REDIS_URL", None)
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "hamkor.cli", *args],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.django_db(transaction=True)
def test_postgresql_export_restores_into_sqlite(tmp_path: Path, settings) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: restores a PostgreSQL export into SQLite")
    settings.MEDIA_ROOT = tmp_path / "media-source"
    install = build_install()
    first = tmp_path / "first.zip"
    call_command("export", output=str(first), verbosity=0)
    var_dir = tmp_path / "sqlite-install"
    var_dir.mkdir()

    _hamkor("migrate", "--verbosity", "0", var_dir=var_dir)
    _hamkor("import-all", str(first), var_dir=var_dir)
    _hamkor("export", "--output", str(tmp_path / "second.zip"), var_dir=var_dir)

    one, two = member_texts(first), member_texts(tmp_path / "second.zip")
    assert sorted(one) == sorted(two)
    for name in one:
        if name != "manifest.json":
            assert one[name] == two[name], name
    assert json.loads(two["manifest.json"])["database_vendor"] == "sqlite"
    name = install.attachment.file.name
    assert (var_dir / "media" / name).read_bytes() == ATTACHMENT_BYTES
