"""`hamkor export`: one JSON lines file per table, stored files, and a manifest."""

from __future__ import annotations

import hashlib
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from hamkor.contacts.models import Contact
from hamkor.transfer.services import FORMAT_VERSION
from tests.contacts.factories import ContactFactory
from tests.races import race
from tests.sales.factories import OrderFactory, ProductFactory
from tests.transfer.archives import member_texts
from tests.transfer.dataset import ATTACHMENT_BYTES, build_install


def _rows(members: dict[str, bytes], entity: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in members[f"data/{entity}.jsonl"].splitlines()]


def test_export_writes_rows_as_json_lines(db, tmp_path: Path) -> None:
    contact = ContactFactory(first_name="Malika", birthday="1990-03-08")
    cake = ProductFactory(name="Napoleon", price=Decimal("120000.50"))
    order = OrderFactory(contact=contact, currency="UZS", lines=[(cake, 2)])
    path = tmp_path / "out.zip"

    call_command("export", output=str(path), verbosity=0)

    members = member_texts(path)
    (row,) = [r for r in _rows(members, "contacts.Contact") if r["id"] == contact.pk]
    assert row["first_name"] == "Malika"
    assert row["birthday"] == "1990-03-08"
    assert row["owner_id"] == contact.owner_id
    (order_row,) = _rows(members, "sales.Order")
    assert order_row["total"] == "240001.00"
    assert order_row["uuid"] == str(order.uuid)
    assert str(order_row["ordered_at"]).endswith("+00:00")
    assert order_row["ordered_at"] == order.ordered_at.isoformat()


def test_export_writes_a_manifest_with_counts_and_checksums(db, tmp_path: Path) -> None:
    ContactFactory()
    ContactFactory()
    path = tmp_path / "out.zip"

    call_command("export", output=str(path), verbosity=0)

    members = member_texts(path)
    manifest = json.loads(members["manifest.json"])
    assert manifest["format"] == "hamkor-export"
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["database_vendor"] in {"sqlite", "postgresql"}
    entities = {entry["name"]: entry for entry in manifest["entities"]}
    assert entities["contacts.Contact"]["count"] == 2
    assert entities["contacts.Contact_tags"]["count"] == 0
    for entry in manifest["entities"]:
        assert hashlib.sha256(members[entry["file"]]).hexdigest() == entry["sha256"]
    assert "sessions.Session" not in entities
    assert "webforms.RateCounter" not in entities
    assert "sessions.Session" in manifest["skipped"]


def test_export_includes_stored_files(db, tmp_path: Path, settings) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    install = build_install()
    path = tmp_path / "out.zip"

    call_command("export", output=str(path), verbosity=0)

    members = member_texts(path)
    name = install.attachment.file.name
    assert members[f"media/{name}"] == ATTACHMENT_BYTES
    (entry,) = json.loads(members["manifest.json"])["media"]
    assert entry["name"] == name
    assert entry["field"] == "projects.TaskAttachment.file"
    assert entry["size"] == len(ATTACHMENT_BYTES)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(f"media/{name}").compress_type == zipfile.ZIP_STORED


def test_export_warns_about_a_missing_stored_file(db, tmp_path: Path, settings, capsys) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    install = build_install()
    install.attachment.file.storage.delete(install.attachment.file.name)
    path = tmp_path / "out.zip"

    call_command("export", output=str(path))

    manifest = json.loads(member_texts(path)["manifest.json"])
    assert manifest["media"] == []
    assert manifest["missing_media"] == [install.attachment.file.name]
    assert "is missing and was left out" in capsys.readouterr().err


def test_export_refuses_a_folder_that_does_not_exist(db, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export", output=str(tmp_path / "no" / "such" / "out.zip"))

    assert list(tmp_path.iterdir()) == []


def test_export_leaves_no_partial_file_when_it_fails(db, tmp_path: Path, monkeypatch) -> None:
    from hamkor.transfer.services import exporting

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(exporting, "_write_entity", explode)

    with pytest.raises(RuntimeError, match="disk full"):
        call_command("export", output=str(tmp_path / "out.zip"))

    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db(transaction=True)
def test_export_reads_one_snapshot(tmp_path: Path, monkeypatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the in-memory SQLite test database has no WAL snapshot")
    from hamkor.transfer.services import exporting

    ContactFactory(first_name="Before")
    write_entity = exporting._write_entity
    written: list[str] = []

    def write_then_race(out: object, model: type, using: str) -> None:
        write_entity(out, model, using)  # type: ignore[arg-type]
        if not written:
            # Another connection adds a contact once the export has begun reading.
            _returned, _refused, failed = race(lambda _i: ContactFactory(first_name="After"), 1)
            assert failed == []
        written.append(model.__name__)

    monkeypatch.setattr(exporting, "_write_entity", write_then_race)
    path = tmp_path / "out.zip"

    call_command("export", output=str(path), verbosity=0)

    names = [row["first_name"] for row in _rows(member_texts(path), "contacts.Contact")]
    assert names == ["Before"]
    assert Contact.objects.filter(first_name="After").exists()
