import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from hamkor.imports.services import guess_mapping, is_google_contacts
from hamkor.imports.services.readers import VCARD_HEADERS, count_rows, open_table


def _read(tmp_path, content: bytes, name="file.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    with open_table(path, name=name) as table:
        return table.headers, list(table.rows), table


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_open_table_sniffs_the_delimiter(tmp_path, delimiter):
    text = delimiter.join(["Name", "Phone", "City"]) + "\n"
    text += delimiter.join(["Aziz", "+998 90 123 45 67", "Tashkent, Chilonzor"]) + "\n"
    if delimiter == ",":
        text = 'Name,Phone,City\nAziz,+998 90 123 45 67,"Tashkent, Chilonzor"\n'

    headers, rows, table = _read(tmp_path, text.encode())

    assert table.delimiter == delimiter
    assert headers == ["Name", "Phone", "City"]
    assert rows == [(2, ["Aziz", "+998 90 123 45 67", "Tashkent, Chilonzor"])]


def test_open_table_reads_utf8_with_bom(tmp_path):
    content = "Имя;Фамилия\nДилноза;Каримова\n".encode("utf-8-sig")

    headers, rows, table = _read(tmp_path, content)

    assert table.encoding == "utf-8-sig"
    assert headers == ["Имя", "Фамилия"]
    assert rows[0][1] == ["Дилноза", "Каримова"]


def test_open_table_detects_windows_1251(tmp_path):
    content = "Имя;Фамилия;Город\nДилноза;Каримова;Ташкент\nБекзод;Алиев;Самарканд\n".encode(
        "cp1251"
    )

    headers, rows, table = _read(tmp_path, content)

    assert table.encoding == "cp1251"
    assert headers == ["Имя", "Фамилия", "Город"]
    assert rows[1][1] == ["Бекзод", "Алиев", "Самарканд"]


def test_open_table_skips_blank_lines_and_numbers_rows_as_in_the_file(tmp_path):
    _headers, rows, _table = _read(tmp_path, b"Name;Phone\nA;1\n;\nB;2\n")

    assert [number for number, _cells in rows] == [2, 4]


def test_open_table_reads_xlsx_with_types_as_text(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["First name", "Phone", "Birthday"])
    born = datetime.datetime(1990, 5, 17)  # noqa: DTZ001 - Excel cells have no time zone
    sheet.append(["Madina", 998901234567, born])
    buffer = io.BytesIO()
    workbook.save(buffer)

    headers, rows, table = _read(tmp_path, buffer.getvalue(), name="people.xlsx")

    assert table.file_format == "xlsx"
    assert headers == ["First name", "Phone", "Birthday"]
    assert rows == [(2, ["Madina", "998901234567", "1990-05-17"])]


VCARD_21 = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=9A=D0=B0=D1=80=D0=B8=D0=BC=D0=BE=D0=B2=D0=B0;"
    "=D0=94=D0=B8=D0=BB=D0=BD=D0=BE=D0=B7=D0=B0;;;\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=94=D0=B8=D0=BB=D0=BD=D0=BE=D0=B7=D0=B0 =\r\n"
    "=D0=9A=D0=B0=D1=80=D0=B8=D0=BC=D0=BE=D0=B2=D0=B0\r\n"
    "TEL;CELL:+998901234567\r\nTEL;WORK:+998711234567\r\n"
    "EMAIL;HOME:dilnoza@example.com\r\nBDAY:1990-05-17\r\nORG:Shirin Cakes;Sales\r\n"
    "END:VCARD\r\n"
)
VCARD_30 = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Smith;John;Quincy;;\r\nFN:John Smith\r\n"
    "TEL;TYPE=CELL:+998 90 765 43 21\r\nEMAIL;TYPE=INTERNET:John@Example.com\r\n"
    "EMAIL;TYPE=INTERNET:j2@example.com\r\nBDAY:1985-03-01\r\nTITLE:Owner\r\nEND:VCARD\r\n"
)


def test_open_table_reads_vcards_21_and_30(tmp_path):
    headers, rows, table = _read(tmp_path, (VCARD_21 + VCARD_30).encode(), name="phone.vcf")

    assert table.file_format == "vcard"
    assert headers == VCARD_HEADERS
    first, second = (dict(zip(headers, cells, strict=True)) for _n, cells in rows)
    assert (first["First Name"], first["Last Name"]) == ("Дилноза", "Каримова")
    assert first["Phone"] == "+998901234567 ::: +998711234567"
    assert first["Organization Name"] == "Shirin Cakes"
    assert first["Birthday"] == "1990-05-17"
    assert (second["First Name"], second["Middle Name"]) == ("John", "Quincy")
    assert second["E-mail"] == "John@Example.com ::: j2@example.com"
    assert second["Organization Title"] == "Owner"


def test_count_rows_counts_data_rows_and_cards(tmp_path):
    csv_path = tmp_path / "a.csv"
    csv_path.write_bytes(b"Name\nA\nB\nC\n")
    vcf_path = tmp_path / "a.vcf"
    vcf_path.write_bytes((VCARD_21 + VCARD_30).encode())

    assert count_rows(csv_path, "csv") == 3
    assert count_rows(vcf_path, "vcard") == 2


def test_open_table_refuses_an_empty_file(tmp_path):
    with pytest.raises(ValidationError):
        _read(tmp_path, b"")


GOOGLE_HEADERS = [
    "First Name",
    "Middle Name",
    "Last Name",
    "Birthday",
    "Notes",
    "E-mail 1 - Label",
    "E-mail 1 - Value",
    "Phone 1 - Label",
    "Phone 1 - Value",
    "Phone 2 - Label",
    "Phone 2 - Value",
    "Organization Name",
    "Organization Title",
]


def test_guess_mapping_pre_maps_google_contacts():
    mapping = guess_mapping(GOOGLE_HEADERS, "contact")

    assert is_google_contacts(GOOGLE_HEADERS)
    assert mapping == {
        "First Name": "first_name",
        "Middle Name": "middle_name",
        "Last Name": "last_name",
        "Birthday": "birthday",
        "Notes": "notes",
        "E-mail 1 - Value": "email",
        "Phone 1 - Value": "phone",
        "Phone 2 - Value": "phone",
        "Organization Name": "company",
        "Organization Title": "job_title",
    }


def test_guess_mapping_knows_russian_and_uzbek_headers():
    headers = ["Фамилия", "Имя", "Телефон", "Email", "Shahar", "Что-то ещё"]

    assert guess_mapping(headers, "contact") == {
        "Фамилия": "last_name",
        "Имя": "first_name",
        "Телефон": "phone",
        "Email": "email",
        "Shahar": "city",
    }


def test_guess_mapping_for_products_and_orders():
    assert guess_mapping(["Артикул", "Название", "Цена", "Валюта"], "product") == {
        "Артикул": "sku",
        "Название": "name",
        "Цена": "price",
        "Валюта": "currency",
    }
    assert guess_mapping(["Order", "Phone", "SKU", "Qty", "Price", "Date"], "order") == {
        "Order": "order_number",
        "Phone": "contact_phone",
        "SKU": "sku",
        "Qty": "quantity",
        "Price": "unit_price",
        "Date": "date",
    }
