"""Create many contacts at once (imports, demo data) in a few statements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.contacts.custom_fields import clean_custom_fields
from hamkor.contacts.models import (
    Contact,
    ContactEmail,
    ContactPhone,
    CustomFieldDefinition,
    Entity,
    FieldType,
    ImportantDate,
)
from hamkor.contacts.services.inputs import (
    ContactInput,
    EmailInput,
    PhoneInput,
    _clean_emails,
    _clean_phones,
    _default_team,
    _validate_contact_values,
)
from hamkor.contacts.services.tags import get_or_create_tags
from hamkor.contacts.text import build_search_text, name_key
from hamkor.core.audit import record_event

# Rows per INSERT statement; each backend further splits by its parameter limit.
BULK_BATCH_SIZE = 1000
# A file with thousands of bad rows should not produce thousands of messages.
BULK_MAX_ROW_ERRORS = 50
# Foreign keys are checked by the database inside the transaction, not by one query per row.
_CONTACT_FOREIGN_KEYS = ("company", "source", "owner", "team", "merged_into")


@dataclass
class _PreparedContact:
    contact: Contact
    phones: list[PhoneInput]
    emails: list[EmailInput]
    tags: list[str]
    dates: list[ImportantDate]


def _row_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        ]
    return list(error.messages)


def _prepare_bulk_item(
    item: ContactInput,
    *,
    actor: User,
    custom_required: bool,
    searchable_keys: frozenset[str],
) -> _PreparedContact:
    """Validate one item and build its unsaved rows; raises ValidationError, writes nothing."""
    values = dict(item.values)
    values.setdefault("currency", settings.HAMKOR_DEFAULT_CURRENCY)
    values.setdefault("time_zone", settings.TIME_ZONE)
    values.setdefault("owner", actor)
    if "team" not in values:
        values["team"] = _default_team(values.get("owner"))
    errors: dict[str, list[str]] = {}
    phones: list[PhoneInput] = []
    emails: list[EmailInput] = []
    custom: dict[str, Any] = {}

    def collect(error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)

    try:
        _validate_contact_values(values)
    except ValidationError as error:
        collect(error)
    try:
        phones = _clean_phones(item.phones or [])
    except ValidationError as error:
        collect(error)
    try:
        emails = _clean_emails(item.emails or [])
    except ValidationError as error:
        collect(error)
    if item.custom_fields or custom_required:
        try:
            custom = clean_custom_fields(entity=Entity.CONTACT, values=item.custom_fields or {})
        except ValidationError as error:
            collect(error)
    if errors:
        raise ValidationError(errors)
    contact = Contact(**values, custom_fields=custom)
    if contact.currency:
        contact.currency = contact.currency.upper()
    contact.full_clean(
        exclude=list(_CONTACT_FOREIGN_KEYS), validate_unique=False, validate_constraints=False
    )
    dates: list[ImportantDate] = []
    for date_item in item.important_dates or []:
        important = ImportantDate(kind=date_item.kind, label=date_item.label, date=date_item.date)
        important.full_clean(exclude=["contact"])
        dates.append(important)
    extra = [contact.company.name] if contact.company is not None else []
    extra += [str(custom[key]) for key in sorted(searchable_keys) if custom.get(key)]
    contact.search_text = build_search_text(
        names=[contact.last_name, contact.first_name, contact.middle_name],
        phones=[p.number for p in phones],
        emails=[e.email for e in emails],
        extra=extra,
    )
    contact.name_key = name_key(contact.first_name, contact.last_name)
    tags = [name.strip()[:50] for name in item.tags or [] if name.strip()]
    return _PreparedContact(contact=contact, phones=phones, emails=emails, tags=tags, dates=dates)


@transaction.atomic
def bulk_create_contacts(*, items: Sequence[ContactInput], actor: User) -> int:
    """Create many contacts at once (imports, demo data): all of them or, on any error, none.

    Every item is validated like create_contact before anything is written; a ValidationError
    names each bad row, counting the first item as row 1. Search text and name keys are
    computed here, rows go in with bulk_create, and one audit event covers the batch.
    """
    if not items:
        return 0
    definitions = list(CustomFieldDefinition.objects.filter(entity=Entity.CONTACT, is_active=True))
    custom_required = any(d.required and d.field_type != FieldType.BOOLEAN for d in definitions)
    searchable_keys = frozenset(
        d.key for d in definitions if d.field_type in (FieldType.TEXT, FieldType.CHOICE)
    )
    prepared: list[_PreparedContact] = []
    row_errors: list[ValidationError] = []
    for row, item in enumerate(items, start=1):
        try:
            prepared.append(
                _prepare_bulk_item(
                    item,
                    actor=actor,
                    custom_required=custom_required,
                    searchable_keys=searchable_keys,
                )
            )
        except ValidationError as error:
            row_errors.append(
                ValidationError(
                    _("Row %(row)d: %(errors)s"),
                    code="bulk_row",
                    params={"row": row, "errors": " ".join(_row_messages(error))},
                )
            )
            if len(row_errors) >= BULK_MAX_ROW_ERRORS:
                break
    if row_errors:
        raise ValidationError(row_errors)

    contacts = Contact.objects.bulk_create(
        [p.contact for p in prepared], batch_size=BULK_BATCH_SIZE
    )
    ContactPhone.objects.bulk_create(
        (
            ContactPhone(contact=c, number=phone.number, kind=phone.kind, is_primary=i == 0)
            for c, p in zip(contacts, prepared, strict=True)
            for i, phone in enumerate(p.phones)
        ),
        batch_size=BULK_BATCH_SIZE,
    )
    ContactEmail.objects.bulk_create(
        (
            ContactEmail(contact=c, email=email.email, kind=email.kind, is_primary=i == 0)
            for c, p in zip(contacts, prepared, strict=True)
            for i, email in enumerate(p.emails)
        ),
        batch_size=BULK_BATCH_SIZE,
    )
    dates: list[ImportantDate] = []
    for contact, item_rows in zip(contacts, prepared, strict=True):
        for important in item_rows.dates:
            important.contact = contact
            dates.append(important)
    ImportantDate.objects.bulk_create(dates, batch_size=BULK_BATCH_SIZE)
    tag_names = sorted({name for p in prepared for name in p.tags})
    if tag_names:
        tags_by_name = {tag.name.lower(): tag for tag in get_or_create_tags(names=tag_names)}
        through = Contact.tags.through
        links: list[Any] = []
        for contact, item_rows in zip(contacts, prepared, strict=True):
            tag_ids = {tags_by_name[name.lower()].pk for name in item_rows.tags}
            links.extend(through(contact_id=contact.pk, tag_id=tag_id) for tag_id in tag_ids)
        through.objects.bulk_create(links, batch_size=BULK_BATCH_SIZE)
    record_event(
        actor=actor,
        verb="contact.bulk_created",
        target=contacts[0],
        data={"count": len(contacts), "first_id": contacts[0].pk, "last_id": contacts[-1].pk},
    )
    return len(contacts)
