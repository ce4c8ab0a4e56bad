"""Load the whole demo: teams, users, custom fields, companies, customers and history."""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from hamkor.accounts.models import Team, User
from hamkor.accounts.services import create_user, get_or_create_team
from hamkor.contacts.demo.common import _Context
from hamkor.contacts.demo.companies import _create_companies
from hamkor.contacts.demo.customers import _create_customers, _create_duplicates
from hamkor.contacts.demo.history import _log_history, _record_consents
from hamkor.contacts.demo_data import CONTACT_TIMES, INDUSTRIES, SOURCE_WEIGHTS, TEAMS, USERS
from hamkor.contacts.models import CustomFieldDefinition, Entity, FieldType
from hamkor.contacts.services import define_custom_field, ensure_sources

DEFAULT_SEED = 2024
DEFAULT_CONTACTS = 300
DEFAULT_COMPANIES = 40


class DemoDataExistsError(Exception):
    """Demo data was loaded before; loading it again would duplicate it."""


@dataclass
class DemoResult:
    password: str
    users: list[User] = field(default_factory=list)
    companies: int = 0
    contacts: int = 0
    interactions: int = 0
    duplicate_pairs: int = 0


def existing_demo_marker() -> str:
    """What shows that demo data is already there ("" when nothing does)."""
    team = Team.objects.filter(name__in=TEAMS).order_by("name").first()
    if team is not None:
        return f"team “{team.name}”"
    user = User.objects.filter(username__in=[u.username for u in USERS]).first()
    if user is not None:
        return f"user “{user.username}”"
    return ""


def _create_users(password: str) -> tuple[dict[str, Team], dict[str, User]]:
    teams = {name: get_or_create_team(name=name) for name in TEAMS}
    users = {
        u.username: create_user(
            username=u.username,
            password=password,
            role=u.role,
            team=teams[u.team],
            email=f"{u.username}@example.com",
            first_name=u.first_name,
            last_name=u.last_name,
        )
        for u in USERS
    }
    return teams, users


def _define_custom_fields() -> None:
    existing = set(CustomFieldDefinition.objects.values_list("entity", "key"))
    wanted: Sequence[tuple[str, str, str, str, Sequence[str]]] = (
        (Entity.CONTACT, "favourite", "Favourite product", FieldType.TEXT, ()),
        (Entity.CONTACT, "contact_time", "Best time to call", FieldType.CHOICE, CONTACT_TIMES),
        (Entity.CONTACT, "loyalty_card", "Loyalty card number", FieldType.NUMBER, ()),
        (Entity.CONTACT, "allergies", "Has allergies", FieldType.BOOLEAN, ()),
        (Entity.COMPANY, "industry", "Industry", FieldType.CHOICE, INDUSTRIES),
        (Entity.COMPANY, "contract_date", "Contract signed", FieldType.DATE, ()),
    )
    for entity, key, label, field_type, choices in wanted:
        if (entity, key) not in existing:
            define_custom_field(
                entity=entity, key=key, label=label, field_type=field_type, choices=choices
            )


@transaction.atomic
def load_demo(
    *,
    seed: int = DEFAULT_SEED,
    contacts: int = DEFAULT_CONTACTS,
    companies: int = DEFAULT_COMPANIES,
    password: str | None = None,
) -> DemoResult:
    """Create the demo teams, users, companies, customers, duplicates and history.

    Raises DemoDataExistsError, writing nothing, when demo data is already there.
    """
    marker = existing_demo_marker()
    if marker:
        raise DemoDataExistsError(marker)
    rng = random.Random(seed)
    password = password or secrets.token_urlsafe(9)
    teams, users = _create_users(password)
    sources = {s.name: s for s in ensure_sources(names=list(SOURCE_WEIGHTS))}
    _define_custom_fields()
    context = _Context(
        rng=rng,
        today=timezone.localdate(),
        now=timezone.now(),
        users=users,
        teams=teams,
        sources=sources,
        companies={},
    )
    result = DemoResult(password=password, users=list(users.values()))
    result.companies = _create_companies(context, companies)
    customers = _create_customers(context, contacts - 8)
    duplicates, result.duplicate_pairs = _create_duplicates(context)
    everyone = [*customers, *duplicates]
    _record_consents(context, everyone)
    result.interactions = _log_history(context, everyone)
    result.contacts = len(everyone)
    return result
