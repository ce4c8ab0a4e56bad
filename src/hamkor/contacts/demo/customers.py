"""Demo customers, and a few planted duplicates for the duplicates page."""

from __future__ import annotations

import datetime
from typing import Any

from hamkor.accounts.models import User
from hamkor.contacts.demo.common import (
    _Context,
    _email_for,
    _female,
    _past_birthday,
    _phone,
    _sellers,
    _weighted,
)
from hamkor.contacts.demo_data import (
    BISHKEK,
    CONTACT_TIMES,
    FAVOURITES,
    NAMES,
    NOTES,
    PLANTED_NAMES,
    REGIONS,
    SOURCE_WEIGHTS,
    STAGE_WEIGHTS,
    STREETS,
    TAGS,
    UZ_PHONE_DUPLICATE,
    Region,
)
from hamkor.contacts.models import Contact, ImportantDate, Language, Stage
from hamkor.contacts.services import (
    ContactInput,
    DateInput,
    EmailInput,
    PhoneInput,
    bulk_create_contacts,
    create_contact,
)
from hamkor.contacts.text import name_key


def _contact_item(
    context: _Context, region: Region, used_keys: set[str], *, birthday_today: bool
) -> ContactInput:
    """One customer of this region's team, with a name no other demo contact has."""
    rng = context.rng
    weights = dict(region.pools)
    while True:
        pool_name = _weighted(rng, weights)
        pool = NAMES[pool_name]
        female = rng.random() < 0.55
        first = rng.choice(pool.female if female else pool.male)
        surname = rng.choice(pool.surnames)
        last = _female(pool, surname) if female else surname
        key = name_key(first, last)
        if key not in used_keys:
            used_keys.add(key)
            break
    middle = ""
    if pool.patronymics and rng.random() < 0.6:
        male_form, female_form = rng.choice(pool.patronymics)
        middle = female_form if female else male_form
    owner = rng.choice(_sellers(context, region.team))
    stage = _weighted(rng, STAGE_WEIGHTS)
    # The agency's clients are mostly businesses; the shops' mostly people.
    in_company = rng.random() < (0.6 if region.team == "Bishkek agency" else 0.15)
    values: dict[str, Any] = {
        "first_name": first,
        "last_name": last,
        "middle_name": middle,
        "city": rng.choice(region.cities),
        "address": rng.choice(STREETS[region.team]).format(
            n=rng.randrange(1, 150), m=rng.randrange(1, 80)
        )
        if rng.random() < 0.5
        else "",
        "language": pool.language,
        "time_zone": region.time_zone,
        "currency": rng.choice(region.currencies),
        "stage": stage,
        "source": context.sources[_weighted(rng, SOURCE_WEIGHTS)],
        "owner": owner,
        "team": owner.team,
        "notes": rng.choice(NOTES),
    }
    if in_company and context.companies[region.team]:
        values["company"] = rng.choice(context.companies[region.team])
        values["job_title"] = rng.choice(
            ("Director", "Marketing manager", "Office manager", "CEO", "Accountant", "Founder")
        )
    if birthday_today or rng.random() < 0.7:
        values["birthday"] = _past_birthday(rng, context.today, on_today=birthday_today)
    phones = [PhoneInput(number=_phone(rng, region))]
    if rng.random() < 0.15:
        phones.append(PhoneInput(number=_phone(rng, region), kind="work"))
    emails = []
    if pool_name == "en" or rng.random() < 0.4:
        emails.append(EmailInput(email=_email_for(rng, first, last)))
    tags = sorted({rng.choice(TAGS) for _ in range(rng.randrange(0, 3))})
    if stage == Stage.LOYAL:
        tags = sorted({*tags, "VIP"})
    custom: dict[str, Any] = {}
    if rng.random() < 0.5:
        custom["favourite"] = rng.choice(FAVOURITES)
    if rng.random() < 0.5:
        custom["contact_time"] = rng.choice(CONTACT_TIMES)
    if stage in (Stage.CUSTOMER, Stage.LOYAL) and rng.random() < 0.6:
        custom["loyalty_card"] = rng.randrange(100000, 999999)
    if rng.random() < 0.1:
        custom["allergies"] = True
    dates = []
    if rng.random() < 0.1:
        dates.append(
            DateInput(
                kind=ImportantDate.Kind.ANNIVERSARY,
                label="Wedding anniversary",
                date=context.today - datetime.timedelta(days=rng.randrange(300, 9000)),
            )
        )
    return ContactInput(
        values=values,
        phones=phones,
        emails=emails,
        tags=tags,
        important_dates=dates,
        custom_fields=custom,
    )


def _create_customers(context: _Context, count: int) -> list[Contact]:
    """Most customers in one bulk call (it validates like create_contact)."""
    rng = context.rng
    # Random customers never share a name with each other or with the planted duplicates,
    # so the duplicates page shows exactly the planted pairs.
    used_keys = {name_key(*pair) for pair in PLANTED_NAMES}
    shares = {"Tashkent shop": 0.5, "Samarkand branch": 0.2, "Bishkek agency": 0.3}
    items: list[ContactInput] = []
    birthdays_today = 4
    for region in REGIONS:
        for _index in range(round(count * shares[region.team])):
            items.append(
                _contact_item(context, region, used_keys, birthday_today=birthdays_today > 0)
            )
            birthdays_today -= 1
    rng.shuffle(items)
    last_pk = Contact.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    bulk_create_contacts(items=items, actor=context.users["dilnoza"])
    return list(Contact.objects.filter(pk__gt=last_pk).select_related("company").order_by("pk"))


def _create_duplicates(context: _Context) -> tuple[list[Contact], int]:
    """The same people typed twice, as happens at a busy counter."""
    users = context.users
    shop = context.sources["Walk-in"]
    pairs: list[tuple[ContactInput, ContactInput, User]] = [
        (
            ContactInput(
                values={"first_name": "Дилноза", "last_name": "Каримова", "source": shop},
                phones=[PhoneInput(number=UZ_PHONE_DUPLICATE)],
                emails=[EmailInput(email="dilnoza.karimova@example.com")],
                tags=["birthday cakes"],
            ),
            ContactInput(
                values={"first_name": "Dilnoza", "last_name": "Karimova", "stage": Stage.CUSTOMER},
                phones=[PhoneInput(number="90 123 45 67")],
            ),
            users["jasur"],
        ),
        (
            ContactInput(
                values={"first_name": "Nigora", "last_name": "Rahimova", "city": "Tashkent"},
                phones=[PhoneInput(number="+998 93 555 12 34")],
            ),
            ContactInput(
                values={"first_name": "Nigora", "last_name": "Raximova"},
                phones=[PhoneInput(number="93 555 12 34")],
            ),
            users["jasur"],
        ),
        (
            ContactInput(
                values={
                    "first_name": "Айбек",
                    "last_name": "Осмонов",
                    "language": Language.KY,
                    "time_zone": BISHKEK,
                    "currency": "KGS",
                    "city": "Bishkek",
                },
                phones=[PhoneInput(number="+996 555 100 200")],
                emails=[EmailInput(email="aibek.osmonov@example.com")],
            ),
            ContactInput(
                values={
                    "first_name": "Aibek",
                    "last_name": "Osmonov",
                    "language": Language.KY,
                    "time_zone": BISHKEK,
                    "currency": "USD",
                    "city": "Bishkek",
                },
                phones=[PhoneInput(number="+996 700 300 400")],
                emails=[EmailInput(email="Aibek.Osmonov@example.com")],
            ),
            users["aigerim"],
        ),
        (
            ContactInput(
                values={"first_name": "Шерзод", "last_name": "Юсупов", "city": "Samarkand"},
                phones=[PhoneInput(number="+998 97 410 20 30")],
            ),
            ContactInput(
                values={"first_name": "Sherzod", "last_name": "Yusupov", "city": "Samarkand"},
                phones=[PhoneInput(number="+998 97 410 20 30")],
            ),
            users["bekzod"],
        ),
    ]
    created: list[Contact] = []
    for first, second, actor in pairs:
        created.append(create_contact(data=first, actor=actor))
        created.append(create_contact(data=second, actor=actor))
    return created, len(pairs)
