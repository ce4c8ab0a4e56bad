"""What every demo step shares: the run's context and small random helpers."""

from __future__ import annotations

import datetime
import random
from collections.abc import Mapping
from dataclasses import dataclass

from hamkor.accounts.models import Role, Team, User
from hamkor.contacts.demo_data import USERS, NamePool, Region
from hamkor.contacts.models import Company, Source
from hamkor.contacts.text import latin


def _weighted(rng: random.Random, weights: Mapping[str, int]) -> str:
    return str(rng.choices(list(weights), weights=list(weights.values()))[0])


def _phone(rng: random.Random, region: Region) -> str:
    prefix = rng.choice(region.prefixes)
    rest = 9 - len(prefix)
    return f"+{region.country_code}{prefix}{rng.randrange(10**rest):0{rest}d}"


def _female(pool: NamePool, surname: str) -> str:
    return surname if surname in pool.unchanged else surname + pool.female_suffix


def _email_for(rng: random.Random, first: str, last: str) -> str:
    local = latin(f"{first}.{last}").replace("'", "").replace(" ", "")
    domain = rng.choice(("example.com", "example.org", "example.net", "mail.example"))
    return f"{local}{rng.choice(('', '', str(rng.randrange(1, 99))))}@{domain}"


def _past_birthday(rng: random.Random, today: datetime.date, *, on_today: bool) -> datetime.date:
    year = today.year - rng.randrange(18, 70)
    if on_today:
        # 29 February needs a leap year.
        while True:
            try:
                return today.replace(year=year)
            except ValueError:
                year -= 1
    return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))


@dataclass
class _Context:
    rng: random.Random
    today: datetime.date
    now: datetime.datetime
    users: dict[str, User]
    teams: dict[str, Team]
    sources: dict[str, Source]
    companies: dict[str, list[Company]]


def _sellers(context: _Context, team: str) -> list[User]:
    return [
        context.users[u.username]
        for u in USERS
        if u.team == team and u.role in (Role.SALES, Role.MANAGER)
    ]
