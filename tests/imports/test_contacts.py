import pytest

from hamkor.contacts.models import Company, Contact, ContactEmail, ContactPhone
from hamkor.contacts.search import filter_by_search
from hamkor.contacts.services import ContactInput, EmailInput, PhoneInput, create_contact
from hamkor.contacts.text import build_search_text, name_key
from tests.contacts.factories import ContactFactory
from tests.imports.test_readers import GOOGLE_HEADERS, VCARD_21, VCARD_30

GOOD = "Имя;Фамилия;Телефон;Email\nДилноза;Каримова;90 123 45 67;Dilnoza@Example.COM\n"


def test_import_contacts_normalises_and_derives_like_the_contacts_app(run_bytes, manager):
    result = run_bytes(GOOD.encode())

    assert result.written
    assert (result.counts.new, result.counts.errors) == (1, 0)
    contact = Contact.objects.get()
    assert (contact.first_name, contact.last_name) == ("Дилноза", "Каримова")
    assert list(contact.phones.values_list("number", "is_primary")) == [("+998901234567", True)]
    assert list(contact.emails.values_list("email", flat=True)) == ["dilnoza@example.com"]
    assert contact.owner == manager
    assert contact.team_id == manager.team_id
    assert contact.name_key == name_key("Дилноза", "Каримова")
    assert contact.search_text == build_search_text(
        names=["Каримова", "Дилноза", ""],
        phones=["+998901234567"],
        emails=["dilnoza@example.com"],
    )


def test_imported_contacts_are_found_by_search(run_bytes):
    run_bytes(GOOD.encode())

    found = filter_by_search(Contact.objects.all(), "karimova")
    by_phone = filter_by_search(Contact.objects.all(), "901234567")

    assert [c.first_name for c in found] == ["Дилноза"]
    assert by_phone.count() == 1


def test_import_reads_windows_1251_and_comma_files(run_bytes):
    cp1251 = "Имя;Телефон\nБекзод;+998 90 111 22 33\n".encode("cp1251")
    comma = b"First name,Last name,Phone\nAziz,Usmonov,+998901112234\n"

    run_bytes(cp1251, name="a.csv")
    run_bytes(comma, name="b.csv")

    assert sorted(Contact.objects.values_list("first_name", flat=True)) == ["Aziz", "Бекзод"]


MALFORMED = (
    "First name;Last name;Phone;Birthday\n"
    "Aziz;Usmonov;+998901112233;17.05.1990\n"
    "Bad;Phone;12;\n"
    ";;+998901112244;\n"
    "Bad;Date;+998901112255;31.02.1990\n"
    "Too;Many;+998901112266;;extra\n"
)


def test_malformed_rows_give_per_row_errors_and_nothing_is_written(run_bytes):
    result = run_bytes(MALFORMED.encode())

    assert not result.written
    assert result.counts.errors == 4
    assert Contact.objects.count() == 0
    assert ContactPhone.objects.count() == 0
    by_row = {e["row"]: (e["column"], e["message"]) for e in result.error_sample}
    assert by_row[3] == ("Phone", "“12” is not a valid phone number.")
    assert by_row[4] == ("First name", "Enter a first name.")
    assert by_row[5][0] == "Birthday"
    assert "31.02.1990" in by_row[5][1]
    assert by_row[6] == ("", "The row has 5 columns; the header has 4.")
    assert "Nothing was imported" in result.message


def test_errors_file_has_row_column_message_and_original_values(run_bytes):
    result = run_bytes(MALFORMED.encode())

    lines = result.errors_csv.decode("utf-8-sig").splitlines()
    assert lines[0] == "Row,Column,Message,First name,Last name,Phone,Birthday"
    assert lines[1] == "3,Phone,“12” is not a valid phone number.,Bad,Phone,12,"
    assert len(lines) == 5


def test_skip_bad_rows_imports_the_good_ones(run_bytes):
    result = run_bytes(MALFORMED.encode(), skip_bad_rows=True)

    assert result.written
    assert (result.counts.new, result.counts.errors) == (1, 4)
    assert list(Contact.objects.values_list("first_name", flat=True)) == ["Aziz"]


def test_dry_run_counts_but_writes_nothing(run_bytes):
    ContactFactory(phone="+998901112233")
    content = b"Name;Phone\nAziz;+998901112233\nMadina;+998901112244\nMadina;+998 90 111 22 44\n"

    result = run_bytes(content, write=False)

    assert not result.written
    assert (result.counts.new, result.counts.skipped, result.counts.duplicates) == (1, 2, 2)
    assert Contact.objects.count() == 1


def test_duplicates_skip_by_phone_email_and_within_the_file(run_bytes):
    existing = ContactFactory(phone="+998901112233", email="old@example.com")
    content = (
        b"Name;Phone;Email\n"
        b"Aziz;90 111 22 33;\n"
        b"Other;;OLD@example.com\n"
        b"Madina;+998901112244;\n"
        b"Madina again;+998901112244;\n"
    )

    result = run_bytes(content, duplicates="skip")

    assert (result.counts.new, result.counts.skipped, result.counts.duplicates) == (1, 3, 3)
    assert Contact.objects.exclude(pk=existing.pk).get().first_name == "Madina"


def test_duplicates_update_fills_in_the_matching_contact(run_bytes, manager):
    existing = create_contact(
        data=ContactInput(
            values={"first_name": "Aziz"},
            phones=[PhoneInput(number="+998901112233")],
            emails=[EmailInput(email="aziz@example.com")],
        ),
        actor=manager,
    )
    content = b"Name;Phone;Email;City\nAziz;+998901112233;aziz.work@example.com;Samarkand\n"

    result = run_bytes(content, duplicates="update")

    assert (result.counts.new, result.counts.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.city == "Samarkand"
    assert sorted(existing.emails.values_list("email", flat=True)) == [
        "aziz.work@example.com",
        "aziz@example.com",
    ]
    assert "samarkand" not in existing.search_text  # city is not searched
    assert "aziz.work@example.com" in existing.search_text


def test_duplicates_create_makes_a_second_contact(run_bytes):
    ContactFactory(phone="+998901112233")

    result = run_bytes(b"Name;Phone\nAziz;+998901112233\n", duplicates="create")

    assert result.counts.new == 1
    assert ContactPhone.objects.filter(number="+998901112233").count() == 2


def test_import_links_or_creates_companies(run_bytes):
    Company.objects.create(name="Shirin Cakes")

    run_bytes(b"Name;Company\nAziz;Shirin Cakes\nMadina;Non Bakery\n")

    by_name = dict(Contact.objects.values_list("first_name", "company__name"))
    assert by_name == {"Aziz": "Shirin Cakes", "Madina": "Non Bakery"}
    assert Company.objects.count() == 2
    assert "shirin cakes" in Contact.objects.get(first_name="Aziz").search_text


def test_import_vcards(run_bytes):
    result = run_bytes((VCARD_21 + VCARD_30).encode(), name="phone.vcf")

    assert result.counts.new == 2
    dilnoza = Contact.objects.get(last_name="Каримова")
    assert sorted(dilnoza.phones.values_list("number", flat=True)) == [
        "+998711234567",
        "+998901234567",
    ]
    assert dilnoza.birthday.isoformat() == "1990-05-17"
    assert dilnoza.company.name == "Shirin Cakes"
    john = Contact.objects.get(first_name="John")
    assert sorted(john.emails.values_list("email", flat=True)) == [
        "j2@example.com",
        "john@example.com",
    ]
    assert john.job_title == "Owner"


def test_import_google_contacts_csv(run_bytes):
    row = [
        "Madina",
        "",
        "Yusupova",
        "--05-17",
        "Likes napoleon",
        "* Home",
        "madina@example.com",
        "Mobile",
        "+998 90 555 44 33 ::: +998 71 200 00 00",
        "Work",
        "+998 93 111 11 11",
        "Madina Sweets",
        "Owner",
    ]
    content = (",".join(GOOGLE_HEADERS) + "\n" + ",".join(row) + "\n").encode()

    result = run_bytes(content, name="contacts.csv")

    assert result.counts.new == 1
    madina = Contact.objects.get()
    assert sorted(madina.phones.values_list("number", flat=True)) == [
        "+998712000000",
        "+998905554433",
        "+998931111111",
    ]
    assert madina.birthday is None  # Google's yearless birthday is left out
    assert (madina.notes, madina.job_title, madina.company.name) == (
        "Likes napoleon",
        "Owner",
        "Madina Sweets",
    )


def test_import_in_chunks_detects_duplicates_across_chunks(run_bytes):
    rows = "".join(f"P{i};+99890{1000000 + i % 7}\n" for i in range(20))

    result = run_bytes(("Name;Phone\n" + rows).encode(), chunk_size=3)

    assert (result.counts.new, result.counts.skipped) == (7, 13)
    assert ContactEmail.objects.count() == 0


@pytest.mark.parametrize("text", ["+998 90 123 45 67", "901234567", "8 (99) 765-43-21"])
def test_phone_parts_match_the_shared_functions(text):
    from django.core.exceptions import ValidationError

    from hamkor.contacts.text import phone_search_digits
    from hamkor.core.phones import normalize_phone
    from hamkor.imports.services.values import CellError, phone_parts

    try:
        expected = normalize_phone(text)
    except ValidationError:
        with pytest.raises(CellError):
            phone_parts(text)
        return
    assert phone_parts(text) == (expected, phone_search_digits(expected))


def test_search_index_takes_contacts_added_after_an_import(run_bytes, manager):
    run_bytes(GOOD.encode())

    later = create_contact(data=ContactInput(values={"first_name": "Zarina"}), actor=manager)

    assert list(filter_by_search(Contact.objects.all(), "zarina")) == [later]
    assert filter_by_search(Contact.objects.all(), "karimova").count() == 1


def test_a_rolled_back_import_leaves_search_working(run_bytes, manager):
    run_bytes(MALFORMED.encode())

    later = create_contact(data=ContactInput(values={"first_name": "Zarina"}), actor=manager)

    assert list(filter_by_search(Contact.objects.all(), "zarina")) == [later]
