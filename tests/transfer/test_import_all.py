"""`hamkor import-all`: refusals and bad input leave the database as it was."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hamkor.contacts.models import Contact, Source
from tests.contacts.factories import ContactFactory
from tests.transfer.archives import rewrite


@pytest.fixture
def empty_export(db, tmp_path: Path) -> Path:
    """An export of a migrated install with no data of its own (only the default lists)."""
    path = tmp_path / "empty.zip"
    call_command("export", output=str(path), verbosity=0)
    return path


def test_import_all_refuses_a_database_with_data(empty_export: Path) -> None:
    ContactFactory(first_name="Aziz")

    with pytest.raises(CommandError) as refused:
        call_command("import_all", str(empty_export))

    # The command line turns a CommandError into this exit status.
    assert refused.value.returncode == 1
    error = str(refused.value)
    assert "The database is not empty:" in error
    assert "contacts.Contact" in error
    assert "accounts.User" in error
    assert list(Contact.objects.values_list("first_name", flat=True)) == ["Aziz"]


def test_import_all_refuses_a_missing_file(db, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import_all", str(tmp_path / "nowhere.zip"))


def test_import_all_refuses_a_file_that_is_not_a_zip(db, tmp_path: Path) -> None:
    path = tmp_path / "notes.zip"
    path.write_text("not a zip at all")

    with pytest.raises(CommandError, match="is not a readable zip file"):
        call_command("import_all", str(path))


def test_import_all_refuses_a_tampered_file(empty_export: Path, tmp_path: Path) -> None:
    tampered = tmp_path / "tampered.zip"
    sources_before = Source.objects.count()
    rewrite(
        empty_export,
        tampered,
        edits={"data/contacts.Source.jsonl": lambda content: content.replace(b"Walk", b"Talk")},
        fix_checksums=False,
    )

    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("import_all", str(tampered))

    assert Source.objects.count() == sources_before
    assert Source.objects.filter(name="Walk-in").exists()


def test_import_all_refuses_a_file_the_manifest_does_not_list(
    empty_export: Path, tmp_path: Path
) -> None:
    smuggled = tmp_path / "smuggled.zip"
    rewrite(empty_export, smuggled)
    with zipfile.ZipFile(smuggled, "a") as archive:
        archive.writestr("media/extra.txt", b"not listed")

    with pytest.raises(CommandError, match=r"holds media/extra\.txt, which its manifest"):
        call_command("import_all", str(smuggled))


def test_import_all_refuses_another_format_version(empty_export: Path, tmp_path: Path) -> None:
    future = tmp_path / "future.zip"

    def bump(manifest: dict[str, object]) -> None:
        manifest["format_version"] = 2

    rewrite(empty_export, future, manifest=bump)

    with pytest.raises(CommandError, match="format version 2; this Hamkor reads version 1"):
        call_command("import_all", str(future))


def test_import_all_refuses_an_unknown_entity(empty_export: Path, tmp_path: Path) -> None:
    newer = tmp_path / "newer.zip"

    def add_entity(manifest: dict[str, object]) -> None:
        manifest["entities"].append(  # type: ignore[attr-defined]
            {
                "name": "spaceships.Rocket",
                "file": "data/contacts.Tag.jsonl",
                "count": 0,
                "sha256": manifest["entities"][0]["sha256"],
            }  # type: ignore[index]
        )

    rewrite(empty_export, newer, manifest=add_entity, fix_checksums=False)

    with pytest.raises(CommandError, match=r"holds spaceships\.Rocket, which this install"):
        call_command("import_all", str(newer))


def test_import_all_undoes_a_half_loaded_restore(empty_export: Path, tmp_path: Path) -> None:
    odd = tmp_path / "odd.zip"
    names_before = sorted(Source.objects.values_list("name", flat=True))

    def add_column(content: bytes) -> bytes:
        lines = content.splitlines()
        row = json.loads(lines[-1])
        row["colour"] = "red"
        return b"\n".join([*lines[:-1], json.dumps(row).encode()]) + b"\n"

    rewrite(empty_export, odd, edits={"data/contacts.Source.jsonl": add_column})

    with pytest.raises(CommandError, match=r"contacts.Source line \d+: .* no column colour"):
        call_command("import_all", str(odd))

    assert sorted(Source.objects.values_list("name", flat=True)) == names_before


def test_import_all_restores_an_empty_export_into_an_empty_install(
    empty_export: Path, capsys
) -> None:
    names_before = sorted(Source.objects.values_list("name", flat=True))

    call_command("import_all", str(empty_export))

    assert sorted(Source.objects.values_list("name", flat=True)) == names_before
    assert "Restored" in capsys.readouterr().out


def test_import_all_refuses_a_stored_file_outside_the_media_folder(
    empty_export: Path, tmp_path: Path
) -> None:
    escaping = tmp_path / "escaping.zip"
    rewrite(empty_export, escaping)
    with zipfile.ZipFile(escaping, "a") as archive:
        archive.writestr("media/x", b"#!/bin/sh\n")

    def add_media(manifest: dict[str, object]) -> None:
        manifest["media"] = [
            {
                "name": "../../bin/evil",
                "file": "media/x",
                "field": "projects.TaskAttachment.file",
                "size": 10,
                "sha256": hashlib.sha256(b"#!/bin/sh\n").hexdigest(),
            }
        ]

    final = tmp_path / "final.zip"
    rewrite(escaping, final, manifest=add_media, fix_checksums=False)

    with pytest.raises(CommandError, match=r"outside the media folder: \.\./\.\./bin/evil"):
        call_command("import_all", str(final))
