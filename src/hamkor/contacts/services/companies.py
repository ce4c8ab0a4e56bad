"""Create, change and archive companies; keep their search text current."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.contacts.custom_fields import clean_custom_fields, searchable_values
from hamkor.contacts.models import Company, Entity
from hamkor.contacts.services.inputs import COMPANY_FIELDS, _default_team
from hamkor.contacts.services.tags import get_or_create_tags
from hamkor.contacts.text import build_search_text
from hamkor.core.audit import changes, record_event, snapshot
from hamkor.core.phones import normalize_phone
from hamkor.core.versioning import claim_version


@transaction.atomic
def create_company(
    *,
    values: Mapping[str, Any],
    actor: User,
    tags: Sequence[str] = (),
    custom_fields: Mapping[str, Any] | None = None,
) -> Company:
    """Create a company."""
    values = dict(values)
    _check_company_fields(values)
    values.setdefault("owner", actor)
    if "team" not in values:
        values["team"] = _default_team(values.get("owner"))
    if values.get("phone"):
        values["phone"] = normalize_phone(values["phone"])
    company = Company(**values)
    company.custom_fields = clean_custom_fields(entity=Entity.COMPANY, values=custom_fields or {})
    company.full_clean()
    company.save()
    company.tags.set(get_or_create_tags(names=tags))
    refresh_company_search(company)
    record_event(actor=actor, verb="company.created", target=company)
    return company


@transaction.atomic
def update_company(
    *,
    company: Company,
    values: Mapping[str, Any],
    actor: User,
    tags: Sequence[str] | None = None,
    custom_fields: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
) -> Company:
    """Change a company; a new name reaches its contacts' search text via the worker.

    With ``expected_version`` a newer stored version raises EditConflict and nothing is
    written; every update moves the company to the next version.
    """
    values = dict(values)
    _check_company_fields(values)
    if "owner" in values and "team" not in values:
        values["team"] = _default_team(values["owner"])
    if values.get("phone"):
        values["phone"] = normalize_phone(values["phone"])
    # Locked and reloaded: fields not given keep what is stored now, not an older copy's.
    claim_version(company, expected=expected_version)
    old_name = company.name
    # Old and new values (relations by id) let automation react to "field changed".
    before = snapshot(company, values) | _tags_snapshot(company, tags)
    for name, value in values.items():
        setattr(company, name, value)
    if custom_fields is not None:
        company.custom_fields = clean_custom_fields(
            entity=Entity.COMPANY, values=custom_fields, existing=company.custom_fields
        )
    company.full_clean()
    company.save()
    if tags is not None:
        company.tags.set(get_or_create_tags(names=tags))
    refresh_company_search(company)
    record_event(
        actor=actor,
        verb="company.updated",
        target=company,
        data={
            "fields": sorted(values),
            "changed": changes(before, snapshot(company, values) | _tags_snapshot(company, tags)),
            "version": company.version,
        },
    )
    if company.name != old_name:
        from hamkor.contacts.tasks import refresh_company_contacts_search

        transaction.on_commit(lambda: refresh_company_contacts_search(company.pk))
    return company


def _tags_snapshot(company: Company, tags: Sequence[str] | None) -> dict[str, str]:
    if tags is None:
        return {}
    return {"tags": ", ".join(sorted(tag.name for tag in company.tags.all()))}


def _check_company_fields(values: Mapping[str, Any]) -> None:
    unknown = set(values) - set(COMPANY_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )


def refresh_company_search(company: Company) -> None:
    """Recompute a company's search text."""
    company.search_text = build_search_text(
        names=[company.name, company.legal_name],
        phones=[company.phone] if company.phone else [],
        emails=[company.email] if company.email else [],
        extra=[company.tax_id, *searchable_values(Entity.COMPANY, company.custom_fields)],
    )
    Company.objects.filter(pk=company.pk).update(search_text=company.search_text)


@transaction.atomic
def archive_company(*, company: Company, actor: User) -> Company:
    """Hide a company from lists; its contacts and history stay."""
    if company.archived_at is None:
        claim_version(company, expected=None)
        company.archived_at = timezone.now()
        company.save(update_fields=["archived_at", "updated_at", "version"])
        record_event(
            actor=actor,
            verb="company.archived",
            target=company,
            data={
                "changed": {"archived_at": ["", company.archived_at.isoformat()]},
                "version": company.version,
            },
        )
    return company
