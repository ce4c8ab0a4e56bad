import io
import re

import phonenumbers
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from hamkor.accounts.models import Role, Team, User
from hamkor.activities.models import Channel, Interaction
from hamkor.contacts.demo import DemoDataExistsError, load_demo
from hamkor.contacts.models import (
    Company,
    Contact,
    ContactEmail,
    ContactPhone,
    CustomFieldDefinition,
    Language,
)
from hamkor.contacts.selectors import ContactFilters, list_contacts, list_duplicate_groups

pytestmark = pytest.mark.django_db

E164 = re.compile(r"^\+(998\d{9}|996\d{9})$")


class _Rollback(Exception):
    pass


def _names_after_load(seed: int) -> list[str]:
    """Load demo data inside a savepoint, read the names, then undo it all."""
    names: list[str] = []
    try:
        with transaction.atomic():
            load_demo(seed=seed, contacts=30, companies=5, password="demo-password")
            names = list(Contact.objects.order_by("pk").values_list("last_name", flat=True))
            raise _Rollback
    except _Rollback:
        pass
    return names


def test_demo_command_loads_data_prints_logins_and_refuses_a_second_run():
    out = io.StringIO()

    call_command("demo", "--contacts", "40", stdout=out)

    printed = out.getvalue()
    assert "Password: " in printed
    for username in ("dilnoza", "jasur", "bekzod", "rustam", "aigerim", "malika", "nodira"):
        assert username in printed
    counts = (Contact.objects.count(), Company.objects.count(), Interaction.objects.count())
    with pytest.raises(CommandError, match="already loaded"):
        call_command("demo", "--contacts", "40", stdout=io.StringIO())
    assert (Contact.objects.count(), Company.objects.count(), Interaction.objects.count()) == counts


def test_load_demo_counts_are_in_range_and_cover_roles_languages_and_channels():
    result = load_demo(password="demo-password")

    assert 280 <= Contact.objects.count() <= 320
    assert 35 <= Company.objects.count() <= 45
    assert result.contacts == Contact.objects.count()
    assert Interaction.objects.count() >= 500
    assert Team.objects.filter(name__in=["Tashkent shop", "Bishkek agency"]).count() == 2
    roles = set(User.objects.values_list("role", flat=True))
    assert {Role.MANAGER, Role.SALES, Role.SUPPORT, Role.FINANCE} <= roles
    assert set(Contact.objects.values_list("language", flat=True)) >= {
        Language.UZ,
        Language.RU,
        Language.KY,
    }
    assert set(Contact.objects.values_list("time_zone", flat=True)) == {
        "Asia/Tashkent",
        "Asia/Bishkek",
    }
    assert set(Contact.objects.values_list("currency", flat=True)) == {"UZS", "KGS", "USD"}
    assert Contact.objects.filter(last_name__regex=r"[А-Яа-яЁё]").count() >= 50
    assert ContactEmail.objects.count() >= 50
    assert CustomFieldDefinition.objects.count() >= 4
    assert Contact.objects.exclude(custom_fields={}).count() >= 100
    assert set(Interaction.objects.values_list("channel", flat=True)) >= {
        Channel.VISIT,
        Channel.PHONE,
        Channel.TELEGRAM,
        Channel.SMS,
        Channel.EMAIL,
    }
    assert not Interaction.objects.filter(occurred_at__gt=timezone.now()).exists()
    today = timezone.localdate()
    assert Contact.objects.filter(birthday__month=today.month, birthday__day=today.day).count() >= 3


def test_load_demo_phones_are_valid_e164():
    load_demo(contacts=60, companies=10, password="demo-password")

    numbers = list(ContactPhone.objects.values_list("number", flat=True))

    assert len(numbers) >= 60
    assert all(E164.match(number) for number in numbers)
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(n)) for n in numbers)
    assert {n[:4] for n in numbers} == {"+998", "+996"}


def test_load_demo_plants_duplicates_across_scripts():
    load_demo(contacts=60, companies=10, password="demo-password")
    manager = User.objects.get(username="dilnoza")

    groups, total = list_duplicate_groups(viewer=manager)

    by_value = {(g.reason, g.value): {c.full_name for c in g.contacts} for g in groups}
    assert by_value[("phone", "+998901234567")] == {"Каримова Дилноза", "Karimova Dilnoza"}
    assert ("email", "aibek.osmonov@example.com") in by_value
    assert total >= 4
    found = list_contacts(viewer=manager, filters=ContactFilters(q="Karimova Dilnoza"))
    assert {c.full_name for c in found} >= {"Каримова Дилноза", "Karimova Dilnoza"}


def test_load_demo_refuses_when_demo_data_exists_and_writes_nothing():
    load_demo(contacts=30, companies=5, password="demo-password")
    contacts = Contact.objects.count()

    with pytest.raises(DemoDataExistsError):
        load_demo(password="demo-password")

    assert Contact.objects.count() == contacts


def test_load_demo_is_deterministic_for_a_seed():
    first = _names_after_load(seed=7)
    again = _names_after_load(seed=7)
    other = _names_after_load(seed=8)

    assert first == again
    assert first != other
