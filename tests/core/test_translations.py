"""The ru, uz and ky catalogs: key strings are translated, Russian counts take three forms,
and pages come out in the chosen language."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from tests.accounts.factories import UserFactory

LANGUAGES = ["ru", "uz", "ky"]

KEY_STRINGS = [
    "Contacts",
    "Companies",
    "New contact",
    "Log an interaction",
    "Save",
    "Search",
    "Timeline",
    "Possible duplicates",
]

CONTACTS = {"ru": "Контакты", "uz": "Kontaktlar", "ky": "Байланыштар"}


def _stale_catalogs() -> bool:
    for locale_dir in django_settings.LOCALE_PATHS:
        for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
            mo_path = po_path.with_suffix(".mo")
            if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
                return True
    return False


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogs():
    # CI compiles before pytest; this keeps a plain local `pytest` run honest too.
    if _stale_catalogs():
        call_command("compiletranslations", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_translations(settings):
    # Re-setting LOCALE_PATHS makes Django drop catalogs loaded before the .mo files existed.
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("msgid", KEY_STRINGS)
def test_key_strings_are_translated(language, msgid):
    with translation.override(language):
        translated = translation.gettext(msgid)
    assert translated
    assert translated != msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_contextual_words_are_translated_per_context(language):
    with translation.override(language):
        channel = translation.pgettext("channel", "Phone")
        phone_kind = translation.pgettext("phone kind", "Home")
        page = translation.gettext("Home")
    assert channel != "Phone"
    assert phone_kind != "Home"
    assert page != "Home"
    assert phone_kind != page  # "home phone" and "home page" are different words


def test_russian_count_has_three_forms():
    singular = "%(count)d contact was merged into %(name)s."
    plural = "%(count)d contacts were merged into %(name)s."
    with translation.override("ru"):
        forms = [
            translation.ngettext(singular, plural, n) % {"count": n, "name": "Дилноза"}
            for n in (1, 3, 5)
        ]
        counted = {
            n: translation.ngettext("%(shown)s contact", "%(shown)s contacts", n)
            for n in (1, 3, 5, 21, 11)
        }
    assert forms == [
        "1 контакт объединён с контактом Дилноза.",
        "3 контакта объединены с контактом Дилноза.",
        "5 контактов объединены с контактом Дилноза.",
    ]
    assert len({counted[1], counted[3], counted[5]}) == 3
    assert counted[21] == counted[1]
    assert counted[11] == counted[5]


@pytest.mark.parametrize("language", ["uz", "ky"])
def test_uzbek_and_kyrgyz_counts_are_translated_for_every_form(language):
    with translation.override(language):
        one = translation.ngettext("%(counter)s group", "%(counter)s groups", 1)
        many = translation.ngettext("%(counter)s group", "%(counter)s groups", 5)
    assert "group" not in one
    assert "group" not in many


def test_catalogs_compile_strictly():
    call_command("compiletranslations", strict=True, verbosity=0)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_contact_list_is_rendered_in_the_chosen_language(client, language):
    client.force_login(UserFactory())
    client.post(reverse("set_language"), {"language": language, "next": "/"})

    response = client.get(reverse("contacts:list"))

    assert response.status_code == 200
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    assert f"<h1>{CONTACTS[language]}</h1>" in content
    assert "<h1>Contacts</h1>" not in content
