"""Create, change and archive contacts; keep their search text current."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hamkor.accounts.models import User
from hamkor.contacts.custom_fields import clean_custom_fields, searchable_values
from hamkor.contacts.models import Contact, ContactEmail, ContactPhone, Entity, ImportantDate
from hamkor.contacts.services.inputs import (
    ContactInput,
    _clean_emails,
    _clean_phones,
    _default_team,
    _validate_contact_values,
)
from hamkor.contacts.services.tags import get_or_create_tags
from hamkor.contacts.text import build_search_text, name_key
from hamkor.core.audit import changes, record_event, snapshot
from hamkor.core.versioning import claim_version


def refresh_contact_search(contact: Contact) -> None:
    """Recompute the derived search text and name key from the saved row and its children."""
    phones = list(contact.phones.values_list("number", flat=True))
    emails = list(contact.emails.values_list("email", flat=True))
    extra = [contact.company.name] if contact.company_id and contact.company else []
    extra += searchable_values(Entity.CONTACT, contact.custom_fields)
    contact.search_text = build_search_text(
        names=[contact.last_name, contact.first_name, contact.middle_name],
        phones=phones,
        emails=emails,
        extra=extra,
    )
    contact.name_key = name_key(contact.first_name, contact.last_name)
    Contact.objects.filter(pk=contact.pk).update(
        search_text=contact.search_text, name_key=contact.name_key
    )


def _apply_children(contact: Contact, data: ContactInput) -> None:
    if data.phones is not None:
        phones = _clean_phones(data.phones)
        contact.phones.all().delete()
        ContactPhone.objects.bulk_create(
            ContactPhone(contact=contact, number=p.number, kind=p.kind, is_primary=i == 0)
            for i, p in enumerate(phones)
        )
    if data.emails is not None:
        emails = _clean_emails(data.emails)
        contact.emails.all().delete()
        ContactEmail.objects.bulk_create(
            ContactEmail(contact=contact, email=e.email, kind=e.kind, is_primary=i == 0)
            for i, e in enumerate(emails)
        )
    if data.tags is not None:
        contact.tags.set(get_or_create_tags(names=data.tags))
    if data.important_dates is not None:
        contact.important_dates.all().delete()
        for item in data.important_dates:
            important = ImportantDate(
                contact=contact, kind=item.kind, label=item.label, date=item.date
            )
            important.full_clean()
            important.save()


def _validate_children(data: ContactInput) -> None:
    """Validate phones and emails before any write, so errors are reported together."""
    errors: dict[str, Any] = {}
    try:
        if data.phones is not None:
            _clean_phones(data.phones)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        if data.emails is not None:
            _clean_emails(data.emails)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_contact(*, data: ContactInput, actor: User) -> Contact:
    """Create a contact with phones, emails, tags, dates and custom fields in one step."""
    values = dict(data.values)
    values.setdefault("currency", settings.HAMKOR_DEFAULT_CURRENCY)
    values.setdefault("time_zone", settings.TIME_ZONE)
    values.setdefault("owner", actor)
    if "team" not in values:
        values["team"] = _default_team(values.get("owner"))
    _validate_contact_values(values)
    _validate_children(data)
    custom = clean_custom_fields(entity=Entity.CONTACT, values=data.custom_fields or {})
    contact = Contact(**values, custom_fields=custom)
    if contact.currency:
        contact.currency = contact.currency.upper()
    contact.full_clean()
    contact.save()
    _apply_children(contact, data)
    refresh_contact_search(contact)
    record_event(actor=actor, verb="contact.created", target=contact)
    return contact


def _children_snapshot(contact: Contact, data: ContactInput) -> dict[str, str]:
    """The lists a change replaces, as text, for the audit ``changed`` map."""
    values: dict[str, str] = {}
    if data.phones is not None:
        values["phones"] = ", ".join(p.number for p in contact.phones.all())
    if data.emails is not None:
        values["emails"] = ", ".join(e.email for e in contact.emails.all())
    if data.tags is not None:
        values["tags"] = ", ".join(sorted(t.name for t in contact.tags.all()))
    if data.important_dates is not None:
        values["important_dates"] = ", ".join(
            f"{d.kind} {d.label} {d.date.isoformat()}".replace("  ", " ")
            for d in contact.important_dates.all()
        )
    return values


@transaction.atomic
def update_contact(
    *,
    contact: Contact,
    data: ContactInput,
    actor: User | None,
    expected_version: int | None = None,
) -> Contact:
    """Change the given fields; children given as lists replace the old ones.

    ``actor`` is None when the customer changes their own details (the portal). With
    ``expected_version`` (what the editor started from) a newer stored version raises
    EditConflict and nothing is written; every update moves the contact to the next version.
    """
    values = dict(data.values)
    if "owner" in values and "team" not in values:
        # A record follows its new owner into their team unless a team is named.
        values["team"] = _default_team(values["owner"])
    _validate_contact_values(values)
    _validate_children(data)
    # Locked and reloaded: fields not given keep what is stored now, not an older copy's.
    claim_version(contact, expected=expected_version)
    # Old and new values (relations by id) let automation react to "field changed".
    before = snapshot(contact, values) | _children_snapshot(contact, data)
    for name, value in values.items():
        setattr(contact, name, value)
    if "currency" in values and contact.currency:
        contact.currency = contact.currency.upper()
    if data.custom_fields is not None:
        contact.custom_fields = clean_custom_fields(
            entity=Entity.CONTACT, values=data.custom_fields, existing=contact.custom_fields
        )
    contact.full_clean()
    contact.save()
    _apply_children(contact, data)
    refresh_contact_search(contact)
    changed = changes(before, snapshot(contact, values) | _children_snapshot(contact, data))
    record_event(
        actor=actor,
        verb="contact.updated",
        target=contact,
        data={"changed": changed, "version": contact.version},
    )
    return contact


@transaction.atomic
def archive_contact(*, contact: Contact, actor: User) -> Contact:
    """Hide a contact from lists; its history stays."""
    if contact.archived_at is None:
        claim_version(contact, expected=None)
        contact.archived_at = timezone.now()
        contact.save(update_fields=["archived_at", "updated_at", "version"])
        record_event(
            actor=actor,
            verb="contact.archived",
            target=contact,
            data={
                "changed": {"archived_at": ["", contact.archived_at.isoformat()]},
                "version": contact.version,
            },
        )
    return contact


def refresh_contacts_search(*, contact_ids: Sequence[int]) -> int:
    """Recompute search text for many contacts (after a company rename); safe to repeat."""
    count = 0
    for contact in Contact.objects.filter(pk__in=contact_ids).select_related("company"):
        refresh_contact_search(contact)
        count += 1
    return count
