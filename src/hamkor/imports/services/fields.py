"""What each kind of import can fill in, and guessing a column mapping from header names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hamkor.imports.models import ImportEntity


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str | Promise
    # Header names (en, ru, uz) that mean this field, compared after simplify().
    synonyms: tuple[str, ...] = ()
    required: bool = False
    # Several columns may fill it (phones, emails), and a cell may hold several values.
    multi: bool = False


_CONTACT = (
    FieldSpec(
        "first_name",
        _("First name"),
        ("first name", "given name", "firstname", "name", "имя", "ism", "ismi"),
        required=True,
    ),
    FieldSpec(
        "last_name",
        _("Last name"),
        ("last name", "family name", "surname", "lastname", "фамилия", "familiya"),
    ),
    FieldSpec(
        "middle_name",
        _("Patronymic"),
        ("middle name", "additional name", "patronymic", "отчество", "otasining ismi", "sharif"),
    ),
    FieldSpec(
        "phone",
        _("Phone"),
        ("phone", "mobile", "tel", "telephone", "телефон", "мобильный", "tel raqam", "telefon"),
        multi=True,
    ),
    FieldSpec(
        "email",
        _("Email"),
        ("email", "e-mail", "mail", "эл почта", "почта", "электронная почта", "elektron pochta"),
        multi=True,
    ),
    FieldSpec(
        "birthday",
        _("Birthday"),
        (
            "birthday",
            "birth date",
            "date of birth",
            "дата рождения",
            "день рождения",
            "tug'ilgan kun",
        ),
    ),
    FieldSpec(
        "company",
        _("Company"),
        ("company", "organization", "organization name", "компания", "организация", "kompaniya"),
    ),
    FieldSpec(
        "job_title",
        _("Job title"),
        ("job title", "title", "position", "organization title", "должность", "lavozim"),
    ),
    FieldSpec("city", _("City"), ("city", "город", "shahar")),
    FieldSpec("address", _("Address"), ("address", "адрес", "manzil")),
    FieldSpec("notes", _("Notes"), ("notes", "note", "comment", "примечание", "заметки", "izoh")),
)

_COMPANY = (
    FieldSpec(
        "name",
        _("Name"),
        ("name", "company", "company name", "название", "компания", "nomi", "kompaniya"),
        required=True,
    ),
    FieldSpec(
        "legal_name", _("Legal name"), ("legal name", "юридическое название", "yuridik nomi")
    ),
    FieldSpec("tax_id", _("Tax ID"), ("tax id", "inn", "tin", "инн", "stir")),
    FieldSpec("phone", _("Phone"), ("phone", "tel", "телефон", "telefon")),
    FieldSpec("email", _("Email"), ("email", "e-mail", "почта", "pochta")),
    FieldSpec("website", _("Website"), ("website", "site", "web", "сайт", "veb-sayt")),
    FieldSpec("address", _("Address"), ("address", "адрес", "manzil")),
    FieldSpec("city", _("City"), ("city", "город", "shahar")),
    FieldSpec("notes", _("Notes"), ("notes", "comment", "примечание", "izoh")),
)

_PRODUCT = (
    FieldSpec("sku", _("SKU"), ("sku", "code", "article", "артикул", "код", "artikul"), True),
    FieldSpec("name", _("Name"), ("name", "product", "title", "название", "товар", "nomi"), True),
    FieldSpec("category", _("Category"), ("category", "категория", "kategoriya", "toifa")),
    FieldSpec("unit", _("Unit"), ("unit", "единица", "ед изм", "o'lchov birligi")),
    FieldSpec("price", _("Price"), ("price", "цена", "narx", "narxi"), True),
    FieldSpec("currency", _("Currency"), ("currency", "валюта", "valyuta")),
)

_ORDER = (
    FieldSpec(
        "order_number",
        _("Order number"),
        ("order", "order number", "order no", "номер заказа", "заказ", "buyurtma raqami"),
        required=True,
    ),
    FieldSpec(
        "contact_phone", _("Customer phone"), ("phone", "customer phone", "телефон", "telefon")
    ),
    FieldSpec("contact_email", _("Customer email"), ("email", "customer email", "e-mail", "почта")),
    FieldSpec("sku", _("Product SKU"), ("sku", "product", "артикул", "товар", "artikul"), True),
    FieldSpec(
        "quantity", _("Quantity"), ("quantity", "qty", "количество", "кол-во", "miqdori"), True
    ),
    FieldSpec("unit_price", _("Unit price"), ("unit price", "price", "цена", "narx", "narxi")),
    FieldSpec("currency", _("Currency"), ("currency", "валюта", "valyuta")),
    FieldSpec("date", _("Date"), ("date", "order date", "ordered", "дата", "дата заказа", "sana")),
)

ENTITY_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    ImportEntity.CONTACT: _CONTACT,
    ImportEntity.COMPANY: _COMPANY,
    ImportEntity.PRODUCT: _PRODUCT,
    ImportEntity.ORDER: _ORDER,
}

_SPACES = re.compile(r"[\s_./\\-]+")
_NUMBERED = re.compile(r"\s*\d+\s*$")
# Google Contacts: "Phone 1 - Value", "E-mail 2 - Value"; the "- Type"/"- Label" columns
# beside them describe the value and are not imported.
_GOOGLE_VALUE = re.compile(r"^(phone|e-mail|email)\s*\d+\s*-\s*value$", re.IGNORECASE)
_GOOGLE_HEADERS = {
    "first name": "first_name",
    "given name": "first_name",
    "last name": "last_name",
    "family name": "last_name",
    "middle name": "middle_name",
    "additional name": "middle_name",
    "birthday": "birthday",
    "organization name": "company",
    "organization 1 - name": "company",
    "organization title": "job_title",
    "organization 1 - title": "job_title",
    "notes": "notes",
    "address 1 - city": "city",
    "address 1 - formatted": "address",
}


def fields_for(entity: str) -> tuple[FieldSpec, ...]:
    return ENTITY_FIELDS[entity]


def simplify(header: str) -> str:
    """Lower case, one space between words, no punctuation, no trailing number ('Phone 2')."""
    text = _SPACES.sub(" ", header.strip().lower().replace("ё", "е")).strip()
    return _NUMBERED.sub("", text)


def is_google_contacts(headers: Sequence[str]) -> bool:
    """The header row of a Google Contacts CSV export."""
    lowered = {h.strip().lower() for h in headers}
    has_name = bool(lowered & {"first name", "given name"})
    return has_name and any(_GOOGLE_VALUE.match(h.strip()) for h in headers)


def guess_mapping(headers: Sequence[str], entity: str) -> dict[str, str]:
    """Header -> field key for the columns whose names we recognise; each single field once."""
    specs = fields_for(entity)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    google = entity == ImportEntity.CONTACT and is_google_contacts(headers)
    for header in headers:
        if not header or header in mapping:
            continue
        key = ""
        if google:
            lowered = header.strip().lower()
            match = _GOOGLE_VALUE.match(lowered)
            if match:
                key = "phone" if match.group(1) == "phone" else "email"
            else:
                key = _GOOGLE_HEADERS.get(lowered, "")
        else:
            simple = simplify(header)
            for spec in specs:
                names = {simplify(name) for name in spec.synonyms}
                if simple == spec.key.replace("_", " ") or simple in names:
                    key = spec.key
                    break
        spec_by_key = {spec.key: spec for spec in specs}
        if key and (key not in taken or spec_by_key[key].multi):
            mapping[header] = key
            taken.add(key)
    return mapping


def check_mapping(mapping: dict[str, str], headers: Sequence[str], entity: str) -> list[str]:
    """Messages for a mapping that names unknown columns or fields or misses a required one."""
    from django.utils.translation import gettext

    specs = {spec.key: spec for spec in fields_for(entity)}
    problems: list[str] = []
    for header, key in mapping.items():
        if header not in headers:
            problems.append(gettext("The file has no column “%(column)s”.") % {"column": header})
        elif key not in specs:
            problems.append(gettext("“%(field)s” is not a field of this import.") % {"field": key})
    used = list(mapping.values())
    for key, spec in specs.items():
        if not spec.multi and used.count(key) > 1:
            problems.append(
                gettext("Only one column can fill “%(field)s”.") % {"field": spec.label}
            )
    if entity == ImportEntity.ORDER and not {"contact_phone", "contact_email"} & set(used):
        problems.append(gettext("Choose the column with the customer's phone or email."))
    if entity == ImportEntity.CONTACT and "last_name" in used:
        # A one-name contact keeps that name as the first name (see the contacts writer).
        used.append("first_name")
    for key, spec in specs.items():
        if spec.required and key not in used:
            problems.append(gettext("Choose the column for “%(field)s”.") % {"field": spec.label})
    return problems
