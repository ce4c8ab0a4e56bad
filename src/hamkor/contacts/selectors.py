"""Reads for companies and contacts, always scoped to what the viewer may see."""

from __future__ import annotations

import functools
import operator
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Count, Model, Q, QuerySet, prefetch_related_objects
from rapidfuzz import fuzz

from hamkor.accounts.models import User
from hamkor.accounts.selectors import list_assignable_users
from hamkor.contacts.models import (
    Company,
    Contact,
    ContactEmail,
    ContactPhone,
    CustomFieldDefinition,
    Entity,
    FieldType,
    Source,
    Tag,
)
from hamkor.contacts.search import filter_by_search
from hamkor.contacts.text import name_key
from hamkor.core.phones import normalize_phone

M = TypeVar("M", bound=Model)

CONTACT_ORDERINGS = {
    "name": ("last_name", "first_name", "id"),
    "-name": ("-last_name", "-first_name", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
}
COMPANY_ORDERINGS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
}
# A fuzzy name score at or above this marks a possible duplicate.
NAME_SIMILARITY = 88


def _visibility_rule(viewer: User) -> list[Q] | None:
    """The one visibility rule, as branches any of which lets the viewer see a record.

    Records of the viewer's team and records the viewer owns; None: managers and admins see
    everything.
    """
    if viewer.sees_everything:
        return None
    rule = [Q(owner=viewer)]
    if viewer.team_id is not None:
        rule.insert(0, Q(team_id=viewer.team_id))
    return rule


def visible(queryset: QuerySet[M], viewer: User) -> QuerySet[M]:
    """Only the records the viewer may see (see _visibility_rule)."""
    rule = _visibility_rule(viewer)
    if rule is None:
        return queryset
    return queryset.filter(functools.reduce(operator.or_, rule))


def visible_parts(queryset: QuerySet[M], viewer: User) -> list[QuerySet[M]]:
    """``visible(queryset, viewer)`` as disjoint querysets, one per branch of the rule.

    For list pages on SQLite: without statistics its planner answers "team = mine OR owner =
    me" by reading every visible row and sorting them (60-90 ms for a team of 10,000
    contacts), while each branch alone walks its index in list order and stops after one
    page (``core.paging`` merges the parts). PostgreSQL plans the OR well, and its collation
    is not Python's, which the merge relies on: there the list stays one queryset.
    """
    rule = _visibility_rule(viewer)
    if rule is None or len(rule) == 1 or connection.vendor != "sqlite":
        return [visible(queryset, viewer)]
    parts = []
    for index, branch in enumerate(rule):
        earlier = functools.reduce(operator.or_, rule[:index], Q())
        parts.append(queryset.filter(branch & ~earlier) if earlier else queryset.filter(branch))
    return parts


@dataclass(frozen=True)
class ContactFilters:
    q: str = ""
    tag: str = ""
    owner_id: int | None = None
    stage: str = ""
    source_id: int | None = None
    company_id: int | None = None
    city: str = ""
    custom: Mapping[str, str] = field(default_factory=dict)
    include_archived: bool = False


def _apply_custom_filters(
    queryset: QuerySet[M], entity: str, custom: Mapping[str, str]
) -> QuerySet[M]:
    if not custom:
        return queryset
    definitions = {
        d.key: d for d in CustomFieldDefinition.objects.filter(entity=entity, key__in=list(custom))
    }
    from hamkor.contacts.custom_fields import clean_value

    for key, raw in custom.items():
        definition = definitions.get(key)
        if definition is None or raw in (None, ""):
            continue
        value = clean_value(definition, raw)
        if definition.field_type == FieldType.TEXT:
            queryset = queryset.filter(**{f"custom_fields__{key}__icontains": value})
        else:
            queryset = queryset.filter(**{f"custom_fields__{key}": value})
    return queryset


def list_contacts(
    *, viewer: User, filters: ContactFilters | None = None, ordering: str = "name"
) -> QuerySet[Contact]:
    """Contacts the viewer may see, filtered and ordered."""
    return visible(_contact_rows(filters or ContactFilters(), ordering), viewer)


def list_contact_parts(
    *, viewer: User, filters: ContactFilters | None = None, ordering: str = "name"
) -> list[QuerySet[Contact]]:
    """``list_contacts`` as disjoint parts for paging (see visible_parts)."""
    return visible_parts(_contact_rows(filters or ContactFilters(), ordering), viewer)


def _contact_rows(filters: ContactFilters, ordering: str) -> QuerySet[Contact]:
    queryset = Contact.objects.all()
    if not filters.include_archived:
        queryset = queryset.filter(archived_at__isnull=True)
    if filters.q:
        queryset = filter_by_search(queryset, filters.q)
    if filters.tag:
        queryset = queryset.filter(tags__name=filters.tag)
    if filters.owner_id:
        queryset = queryset.filter(owner_id=filters.owner_id)
    if filters.stage:
        queryset = queryset.filter(stage=filters.stage)
    if filters.source_id:
        queryset = queryset.filter(source_id=filters.source_id)
    if filters.company_id:
        queryset = queryset.filter(company_id=filters.company_id)
    if filters.city:
        queryset = queryset.filter(city__iexact=filters.city)
    queryset = _apply_custom_filters(queryset, Entity.CONTACT, filters.custom)
    order = CONTACT_ORDERINGS.get(ordering, CONTACT_ORDERINGS["name"])
    # Prefetched, not joined: with a join both databases join every row an OFFSET skips,
    # which made page 2,000 of 100,000 contacts take half a second (docs/benchmarks.md).
    return queryset.prefetch_related("company", "owner", "source").order_by(*order)


def get_contact(*, viewer: User, pk: int, include_archived: bool = True) -> Contact:
    """One contact the viewer may see; raises Contact.DoesNotExist otherwise (shown as 404)."""
    queryset = visible(Contact.objects.all(), viewer)
    if not include_archived:
        queryset = queryset.filter(archived_at__isnull=True)
    return (
        queryset.select_related("company", "owner", "team", "source", "merged_into")
        .prefetch_related("phones", "emails", "tags", "important_dates", "consents")
        .get(pk=pk)
    )


@dataclass(frozen=True)
class CompanyFilters:
    q: str = ""
    tag: str = ""
    owner_id: int | None = None
    city: str = ""
    custom: Mapping[str, str] = field(default_factory=dict)
    include_archived: bool = False


def list_companies(
    *, viewer: User, filters: CompanyFilters | None = None, ordering: str = "name"
) -> QuerySet[Company]:
    """Companies the viewer may see, filtered and ordered."""
    filters = filters or CompanyFilters()
    queryset = visible(Company.objects.all(), viewer)
    if not filters.include_archived:
        queryset = queryset.filter(archived_at__isnull=True)
    if filters.q:
        queryset = filter_by_search(queryset, filters.q)
    if filters.tag:
        queryset = queryset.filter(tags__name=filters.tag)
    if filters.owner_id:
        queryset = queryset.filter(owner_id=filters.owner_id)
    if filters.city:
        queryset = queryset.filter(city__iexact=filters.city)
    queryset = _apply_custom_filters(queryset, Entity.COMPANY, filters.custom)
    order = COMPANY_ORDERINGS.get(ordering, COMPANY_ORDERINGS["name"])
    return queryset.select_related("owner", "source").order_by(*order)


def get_company(*, viewer: User, pk: int) -> Company:
    """One company the viewer may see; raises Company.DoesNotExist otherwise."""
    return (
        visible(Company.objects.all(), viewer)
        .select_related("owner", "team", "source")
        .prefetch_related("tags")
        .annotate(contact_count=Count("contacts"))
        .get(pk=pk)
    )


def list_company_contact_ids(*, company_id: int) -> list[int]:
    """Ids of a company's contacts (for background refreshes; not viewer-scoped)."""
    return list(
        Contact.objects.filter(company_id=company_id).order_by("id").values_list("id", flat=True)
    )


def list_sources() -> QuerySet[Source]:
    return Source.objects.filter(is_active=True).order_by("position", "name")


def list_tags() -> QuerySet[Tag]:
    return Tag.objects.order_by("name")


def list_custom_fields(*, entity: str) -> QuerySet[CustomFieldDefinition]:
    return CustomFieldDefinition.objects.filter(entity=entity, is_active=True).order_by(
        "position", "label"
    )


def count_contacts(*, viewer: User) -> int:
    return visible(Contact.objects.filter(archived_at__isnull=True), viewer).count()


def count_companies(*, viewer: User) -> int:
    return visible(Company.objects.filter(archived_at__isnull=True), viewer).count()


def list_recent_contacts(*, viewer: User, limit: int = 8) -> list[Contact]:
    """The viewer's own most recently changed contacts."""
    return list(
        Contact.objects.filter(owner=viewer, archived_at__isnull=True)
        .select_related("company")
        .order_by("-updated_at", "-id")[:limit]
    )


# --- duplicates -----------------------------------------------------------------------


@dataclass
class DuplicateMatch:
    contact: Contact
    reasons: list[str]
    score: int


def find_similar_contacts(
    *,
    viewer: User,
    first_name: str = "",
    last_name: str = "",
    phones: Sequence[str] = (),
    emails: Sequence[str] = (),
    exclude_pk: int | None = None,
    limit: int = 10,
) -> list[DuplicateMatch]:
    """Visible contacts that may be the same person: same phone or email, or a similar name."""
    base = visible(Contact.objects.filter(archived_at__isnull=True), viewer)
    if exclude_pk is not None:
        base = base.exclude(pk=exclude_pk)
    reasons: dict[int, set[str]] = defaultdict(set)
    normalized: list[str] = []
    for raw in phones:
        try:
            normalized.append(normalize_phone(raw))
        except Exception:  # noqa: S112 - an invalid number simply matches nothing
            continue
    if normalized:
        for pk in base.filter(phones__number__in=normalized).values_list("pk", flat=True):
            reasons[pk].add("phone")
    lowered = [e.strip().lower() for e in emails if e.strip()]
    if lowered:
        for pk in base.filter(emails__email__in=lowered).values_list("pk", flat=True):
            reasons[pk].add("email")
    key = name_key(first_name, last_name)
    scores: dict[int, int] = {}
    if len(key) >= 3:
        # Block on the first letters of the sorted name tokens, then score with rapidfuzz.
        # The range lets a plain B-tree index on name_key serve the prefix on both databases
        # (SQLite's case-insensitive LIKE cannot use it); startswith keeps the meaning exact.
        prefix = key[:3]
        candidates = (
            base.filter(
                name_key__gte=prefix,
                name_key__lt=prefix + "\U0010ffff",
                name_key__startswith=prefix,
            )
            .order_by("name_key")
            .values_list("pk", "name_key")[:2000]
        )
        for pk, other_key in candidates:
            score = int(fuzz.token_sort_ratio(key, other_key))
            if score >= NAME_SIMILARITY:
                reasons[pk].add("name")
                scores[pk] = score
    if not reasons:
        return []

    def score_of(pk: int) -> int:
        return 100 if reasons[pk] & {"phone", "email"} else scores.get(pk, 0)

    # Rank before loading: a common name can have hundreds of namesakes; load only the best.
    best = sorted(reasons, key=lambda pk: (-score_of(pk), pk))[:limit]
    contacts = (
        base.filter(pk__in=best).select_related("company").prefetch_related("phones", "emails")
    )
    matches = [
        DuplicateMatch(contact=c, reasons=sorted(reasons[c.pk]), score=score_of(c.pk))
        for c in contacts
    ]
    matches.sort(key=lambda m: (-m.score, m.contact.pk))
    return matches


@dataclass
class DuplicateGroup:
    reason: str
    value: str
    contacts: list[Contact]


def list_duplicate_groups(
    *, viewer: User, limit: int = 50, offset: int = 0
) -> tuple[list[DuplicateGroup], int]:
    """Groups of visible, active contacts sharing a phone, an email or a transliterated name.

    Returns (page of groups, total number of groups).
    """
    base = visible(Contact.objects.filter(archived_at__isnull=True), viewer)
    groups: list[tuple[str, str]] = []
    phone_values = (
        ContactPhone.objects.filter(contact__in=base)
        .values("number")
        .annotate(n=Count("contact", distinct=True))
        .filter(n__gt=1)
        .order_by("number")
        .values_list("number", flat=True)
    )
    groups += [("phone", v) for v in phone_values]
    email_values = (
        ContactEmail.objects.filter(contact__in=base)
        .values("email")
        .annotate(n=Count("contact", distinct=True))
        .filter(n__gt=1)
        .order_by("email")
        .values_list("email", flat=True)
    )
    groups += [("email", v) for v in email_values]
    name_values = (
        base.exclude(name_key="")
        .values("name_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("name_key")
        .values_list("name_key", flat=True)
    )
    groups += [("name", v) for v in name_values]
    total = len(groups)
    page = groups[offset : offset + limit]
    lookups: dict[str, str] = {
        "phone": "phones__number",
        "email": "emails__email",
        "name": "name_key",
    }
    result: list[DuplicateGroup] = []
    for reason, value in page:
        members = list(
            base.filter(**{lookups[reason]: value})
            .distinct()
            .select_related("company")
            .prefetch_related("phones", "emails")
            .order_by("id")
        )
        result.append(DuplicateGroup(reason=reason, value=value, contacts=members))
    return result, total


def describe_filters(filters: ContactFilters) -> dict[str, Any]:
    """The filters as a plain dict (for audit and exports)."""
    return {k: v for k, v in filters.__dict__.items() if v}


# --- lookups for the API ----------------------------------------------------------------


def with_contact_details(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """The same contacts with phones, emails, tags, dates and consents loaded in bulk."""
    return contacts.prefetch_related("phones", "emails", "tags", "important_dates", "consents")


def with_company_details(companies: QuerySet[Company]) -> QuerySet[Company]:
    """The same companies with their tags loaded in bulk."""
    return companies.prefetch_related("tags")


def get_source(*, pk: int) -> Source:
    """One source, active or retired (records may keep a retired one); DoesNotExist otherwise."""
    return Source.objects.get(pk=pk)


def get_assignable_owner(*, viewer: User, pk: int) -> User:
    """A user the viewer may make owner of a record; User.DoesNotExist otherwise."""
    return list_assignable_users(viewer=viewer).get(pk=pk)


def load_list_details(contacts: Iterable[Contact]) -> None:
    """Fetch phones and tags of one page of contacts in two queries, not two per row."""
    prefetch_related_objects(list(contacts), "phones", "tags")
