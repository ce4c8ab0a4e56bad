import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hamkor.contacts.models import Contact
from hamkor.privacy.models import PrivacyRequest
from tests.privacy.factories import NAME, person_with_everything


def test_cli_export_writes_the_zip_asked_for(db, tmp_path, capsys):
    person = person_with_everything()
    output = tmp_path / "zebunisa.zip"

    call_command("privacy", "export", str(person.contact.pk), "--output", str(output))

    with zipfile.ZipFile(output) as archive:
        assert json.loads(archive.read("person.json"))["name"] == person.contact.full_name
    assert str(output) in capsys.readouterr().out
    assert PrivacyRequest.objects.get().result_file == str(output)


def test_cli_export_refuses_an_unknown_contact(db, tmp_path):
    with pytest.raises(CommandError, match="There is no contact with id 999999"):
        call_command("privacy", "export", "999999", "--output", str(tmp_path / "x.zip"))
    assert not (tmp_path / "x.zip").exists()


def test_cli_export_refuses_a_missing_folder(db, tmp_path):
    person = person_with_everything()

    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "privacy", "export", str(person.contact.pk), "--output", str(tmp_path / "no" / "x.zip")
        )


def test_cli_unknown_contact_exits_non_zero(db, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        from django.core.management import ManagementUtility

        ManagementUtility(["hamkor", "privacy", "export", "424242"]).execute()
    assert exit_info.value.code != 0


def test_cli_erase_needs_yes(db):
    person = person_with_everything()

    with pytest.raises(CommandError, match="--yes"):
        call_command("privacy", "erase", str(person.contact.pk))
    assert Contact.objects.get(pk=person.contact.pk).full_name != ""
    assert NAME.split()[0] in Contact.objects.get(pk=person.contact.pk).full_name


def test_cli_erase_with_yes_erases(db, capsys):
    person = person_with_everything()

    call_command("privacy", "erase", str(person.contact.pk), "--yes")

    contact = Contact._base_manager.get(pk=person.contact.pk)
    assert contact.full_name == f"Erased contact #{contact.pk}"
    assert "orders and invoices were kept" in capsys.readouterr().out
