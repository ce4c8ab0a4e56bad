"""Big contact files are read and checked in a second process: the same result as in one."""

import multiprocessing

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from hamkor.contacts.models import Contact
from hamkor.contacts.text import build_search_text, name_key, phone_search_digits
from hamkor.imports.services import engine, pipeline
from hamkor.imports.services.contacts import NameDerivations
from tests.contacts.factories import ContactFactory

HEADER = "Имя;Фамилия;Телефон;Email;Дата рождения;Компания\n"


def _rows(count: int) -> str:
    """Good rows, repeats within the file, matches of the database and bad rows, mixed."""
    lines = []
    for i in range(count):
        phone = f"+998 90 {i:07d}"
        if i % 11 == 5:
            phone = "90 1112233"  # a contact already in the database
        if i % 13 == 7:
            phone = f"90{i - 1:07d}"  # the row before's
        email = f"User.{i}@Example.COM" if i % 2 else ""
        birthday = f"{i % 28 + 1:02d}.{i % 12 + 1:02d}.1985"
        name, last = ("Дилноза", "Каримова") if i % 3 else ("Aziz", "")
        lines.append(f"{name};{last};{phone};{email};{birthday};Company {i % 4}")
    lines[40] = "Bad;Phone;12;;;"
    lines[90] = ";;+998901234599;;;"
    lines[130] = "Bad;Date;+998901234598;;31.02.1990;"
    lines[170] = "Too;Many;+998901234597;;;;extra"
    lines[210] = "Future;Birthday;+998901234596;a@b.uz;01.01.2999;"
    return HEADER + "\n".join(lines) + "\n"


def _imported() -> list[tuple[object, ...]]:
    """What the import wrote, in the order it wrote it (ids and times left out)."""
    contacts = Contact.objects.exclude(first_name="Existing").order_by("pk")
    return [
        (
            c.first_name,
            c.last_name,
            c.birthday,
            c.company.name if c.company else "",
            c.search_text,
            c.name_key,
            list(c.phones.order_by("pk").values_list("number", "is_primary")),
            list(c.emails.order_by("pk").values_list("email", "is_primary")),
        )
        for c in contacts.select_related("company")
    ]


def _outcome(result):
    return (result.written, result.counts, result.error_sample, result.errors_csv)


@pytest.fixture
def pipelined(monkeypatch):
    """Every contacts file goes through the reading process; the list records each run."""
    runs: list[str] = []
    read = pipeline.parsed_elsewhere

    def recorded(path, *args):
        runs.append(path.name)
        return read(path, *args)

    monkeypatch.setattr(engine, "PIPELINE_MIN_BYTES", 0)
    monkeypatch.setattr(pipeline, "parsed_elsewhere", recorded)
    return runs


def test_pipelined_import_writes_what_the_in_process_import_writes(run_bytes, request):
    ContactFactory(first_name="Existing", phone="+998901112233")
    content = _rows(400).encode()
    with translation.override("ru"):
        in_process = run_bytes(content, skip_bad_rows=True, chunk_size=7)
    written_in_process = _imported()
    Contact.objects.exclude(first_name="Existing").delete()
    runs = request.getfixturevalue("pipelined")

    with translation.override("ru"):
        pipelined = run_bytes(content, skip_bad_rows=True, chunk_size=7)

    assert runs == ["file.csv"]
    assert _outcome(pipelined) == _outcome(in_process)
    assert _imported() == written_in_process
    assert in_process.counts.errors == 5
    assert len(written_in_process) > 300
    # The messages are in the importer's language, from the reading process too.
    assert "Фамилия" in pipelined.errors_csv.decode("utf-8-sig")
    assert pipelined.error_sample[0]["message"] == in_process.error_sample[0]["message"]


def test_pipelined_import_with_a_bad_row_writes_nothing(run_bytes, pipelined):
    content = _rows(300).encode()

    result = run_bytes(content, chunk_size=10)

    assert pipelined == ["file.csv"]
    assert not result.written
    assert Contact.objects.count() == 0
    assert result.counts.processed == 300
    assert result.error_sample[0] == {
        "row": 42,
        "column": "Телефон",
        "message": "“12” is not a valid phone number.",
    }
    assert "Nothing was imported" in result.message


def test_pipelined_import_undone_when_the_end_fails_leaves_no_reader(tmp_path, manager, pipelined):
    from hamkor.imports.services import run_file

    path = tmp_path / "big.csv"
    path.write_text("Name;Phone\n" + "".join(f"P{i};+9989011{i:05d}\n" for i in range(500)))

    def fail(counts):
        raise RuntimeError("the job row is gone")

    with pytest.raises(RuntimeError, match="the job row is gone"):
        run_file(
            path=path,
            name="big.csv",
            entity="contact",
            mapping={"Name": "first_name", "Phone": "phone"},
            duplicates="skip",
            skip_bad_rows=False,
            actor=manager,
            write=True,
            on_written=fail,
            chunk_size=50,
        )

    assert pipelined == ["big.csv"]
    assert Contact.objects.count() == 0
    assert multiprocessing.active_children() == []


def test_small_files_are_read_in_process(tmp_path):
    from hamkor.imports.services.contacts import ContactWriter

    path = tmp_path / "small.csv"
    path.write_text("Name;Phone\nAziz;+998901112233\n")

    assert not engine.use_pipeline(ContactWriter(), path)


_NAME = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=120
).map(str.strip)


@settings(max_examples=150, deadline=None)
@given(_NAME, _NAME, _NAME, _NAME, st.lists(st.emails().map(str.lower), max_size=2))
def test_name_derivations_equal_the_contacts_app(first, last, middle, company, emails):
    derive = NameDerivations()
    phones = ["+998901234567"]

    search = derive.search_text(
        (last, first, middle, company), [phone_search_digits(p) for p in phones], emails
    )
    key = derive.name_key(first, last)

    assert search == build_search_text(
        names=[last, first, middle], phones=phones, emails=emails, extra=[company]
    )
    assert key == name_key(first, last)
