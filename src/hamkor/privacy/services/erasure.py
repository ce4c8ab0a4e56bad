"""Erase a person: anonymize every row that holds their data, keep the figures.

Orders, invoices, amounts, dates and counts stay, so revenue reports do not move; the
contact row stays too (anonymized, archived) so foreign keys and aggregates hold. Rows are
found generically (``hamkor.privacy.holdings``); the short lists below name the exceptions,
each with its reason.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import IntegrityError, connection, models, transaction
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.contacts.models import Contact
from hamkor.contacts.services import refresh_contact_search
from hamkor.core.audit import ERASED, record_event, redact_values
from hamkor.core.locking import lock_rows
from hamkor.privacy.holdings import Holdings, collect_holdings, identifying_values
from hamkor.privacy.models import PrivacyRequest, RequestKind, RequestStatus
from hamkor.transfer.registry import file_fields, label_of, stored_fields

logger = logging.getLogger(__name__)

# Rows that are nothing but the person's identity or a way to reach them: deleted outright.
DELETED_MODELS = frozenset(
    {
        "contacts.ContactPhone",
        "contacts.ContactEmail",
        "contacts.ImportantDate",
        "messaging.ContactMessagingPrefs",
        # One-time portal codes and the address they went to.
        "portal.LoginCode",
        # The file is the data; a row pointing at no file helps nobody.
        "support.TicketAttachment",
    }
)

# Rows under the person's that describe the company's own work, not the person: a client
# project's tasks keep their titles. Neither they nor the rows below them are touched. The
# request log itself is kept too (its typed notes are swept like any text).
NOT_PERSONAL_MODELS = frozenset({"projects.Task", "privacy.PrivacyRequest"})

# Text columns kept on the person's rows: codes and ids that say nothing about the person,
# and what the figures need (currencies, invoice numbers, product lines, campaign tags).
KEPT_FIELD_NAMES = frozenset(
    {
        "currency",
        "language",
        "time_zone",
        "customer_time_zone",
        "provider",
        "provider_message_id",
        "email_message_id",
        "in_reply_to",
        "claimed_by",
        "dedupe_key",
    }
)
KEPT_FIELDS = frozenset(
    {
        "contacts.Contact.search_text",  # recomputed from the anonymized row
        "contacts.Contact.name_key",
        "billing.Invoice.number",
        "billing.InvoiceLine.description",
        "billing.InvoiceLine.unit",
        "sales.OrderLine.description",
        "projects.TimeEntry.invoice_number",
        "marketing.Attribution.utm",
        "webforms.Submission.utm",
    }
)
# Non-text columns that are personal: emptied too.
NULLED_FIELDS = frozenset({"contacts.Contact.birthday"})

# Columns the sweep for leftover mentions never rewrites: other people's own identity (a
# namesake, a shared family phone) and text derived from it.
SWEEP_SKIPPED_FIELDS = frozenset(
    {
        "contacts.Contact.first_name",
        "contacts.Contact.last_name",
        "contacts.Contact.middle_name",
        "contacts.Contact.search_text",
        "contacts.Contact.name_key",
        "contacts.ContactPhone.number",
        "contacts.ContactEmail.email",
        "accounts.User.first_name",
        "accounts.User.last_name",
        "accounts.User.email",
        "accounts.User.username",
    }
)
# The audit trail is append-only: redact_values() is its one way to change it. Sessions are
# signed blobs the sweep cannot read.
SWEEP_SKIPPED_MODELS = frozenset({"core.AuditEvent", "sessions.Session"})

TEXT_FIELDS = (models.CharField, models.TextField)


@dataclass
class ErasureResult:
    rows_changed: dict[str, int] = field(default_factory=dict)
    rows_deleted: dict[str, int] = field(default_factory=dict)
    mentions_erased: int = 0
    audit_events_redacted: int = 0
    files_removed: list[str] = field(default_factory=list)

    def as_summary(self) -> dict[str, Any]:
        return {
            "changed": self.rows_changed,
            "deleted": self.rows_deleted,
            "mentions": self.mentions_erased,
            "audit_events": self.audit_events_redacted,
            "files": len(self.files_removed),
        }


def placeholder_name(contact_id: int) -> str:
    """What an erased contact is called from now on."""
    return _("Erased contact #%(id)s") % {"id": contact_id}


def _is_unique(model: type[models.Model], model_field: models.Field[Any, Any]) -> bool:
    if model_field.unique:
        return True
    together = [set(names) for names in model._meta.unique_together]
    together += [
        set(c.fields) for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)
    ]
    return any(model_field.name in names for names in together)


def _blank_value(model_field: models.Field[Any, Any]) -> Any:
    if model_field.null:
        return None
    if isinstance(model_field, models.JSONField):
        default = model_field.get_default()
        return type(default)() if isinstance(default, dict | list) else {}
    if model_field.blank or isinstance(model_field, models.FileField):
        return ""
    max_length = getattr(model_field, "max_length", None) or len(ERASED)
    return ERASED[:max_length]


def _placeholder_value(model_field: models.Field[Any, Any]) -> Any:
    if isinstance(model_field, TEXT_FIELDS) and not isinstance(model_field, models.FileField):
        max_length = getattr(model_field, "max_length", None) or len(ERASED)
        return ERASED[:max_length]
    return _blank_value(model_field)


def _erasable_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The columns of the person's rows that get blanked (see the lists above)."""
    label = label_of(model)
    chosen = []
    for model_field in stored_fields(model):
        qualified = f"{label}.{model_field.name}"
        if qualified in NULLED_FIELDS:
            chosen.append(model_field)
            continue
        if model_field.primary_key or model_field.is_relation or model_field.choices:
            continue
        if model_field.name in KEPT_FIELD_NAMES or qualified in KEPT_FIELDS:
            continue
        textual = isinstance(model_field, (*TEXT_FIELDS, models.JSONField, models.FileField))
        # A client IP is personal; a required one cannot be emptied and stays.
        address = isinstance(model_field, models.GenericIPAddressField) and model_field.null
        if textual or address:
            chosen.append(model_field)
    return chosen


def _stored_files(model: type[models.Model], pks: Iterable[object]) -> list[tuple[Any, str]]:
    found: list[tuple[Any, str]] = []
    for file_field in file_fields(model):
        names = (
            model._base_manager.filter(pk__in=list(pks))
            .exclude(**{file_field.attname: ""})
            .values_list(file_field.attname, flat=True)
        )
        found.extend((file_field.storage, name) for name in names if name)
    return found


def _blank_rows(model: type[models.Model], pks: set[object], result: ErasureResult) -> None:
    fields = _erasable_fields(model)
    if not fields:
        return
    plain = {f.attname: _blank_value(f) for f in fields if not _is_unique(model, f)}
    unique = [f for f in fields if _is_unique(model, f)]
    manager = model._base_manager
    changed = 0
    if plain:
        try:
            with transaction.atomic():
                changed = manager.filter(pk__in=list(pks)).update(**plain)
        except IntegrityError:
            # A check constraint wants some text (a booking needs an email or a phone):
            # the placeholder instead of nothing.
            filled = {f.attname: _placeholder_value(f) for f in fields if not _is_unique(model, f)}
            changed = manager.filter(pk__in=list(pks)).update(**filled)
    for pk in pks if unique else ():
        # A unique column cannot hold one placeholder twice: each row gets its own.
        manager.filter(pk=pk).update(**{f.attname: f"erased-{pk}"[: f.max_length] for f in unique})
    result.rows_changed[label_of(model)] = changed or len(pks)


def _erase_contact_rows(ids: Sequence[int], result: ErasureResult) -> None:
    _blank_rows(Contact, set(ids), result)
    for pk in ids:
        Contact._base_manager.filter(pk=pk).update(
            first_name=placeholder_name(pk), last_name="", middle_name=""
        )
    # Out of lists, birthdays and segments; the portal session ends with it.
    Contact._base_manager.filter(pk__in=ids, archived_at__isnull=True).update(
        archived_at=timezone.now()
    )
    for contact in Contact._base_manager.filter(pk__in=ids):
        refresh_contact_search(contact)


def erase_holdings(*, holdings: Holdings, values: dict[str, list[str]]) -> ErasureResult:
    """Blank or delete every held row, sweep leftover mentions, redact the audit trail.

    Must run inside a transaction; stored files are removed once it commits.
    """
    result = ErasureResult()
    files: list[tuple[Any, str]] = []
    for model, pks in holdings.rows.items():
        files.extend(_stored_files(model, pks))
    for model, pks in holdings.rows.items():
        if model is Contact or label_of(model) in DELETED_MODELS:
            continue
        _blank_rows(model, pks, result)
    for model, pks in holdings.rows.items():
        if label_of(model) in DELETED_MODELS:
            deleted, _per_model = model._base_manager.filter(pk__in=list(pks)).delete()
            result.rows_deleted[label_of(model)] = deleted
    _erase_contact_rows(holdings.contact_ids, result)
    result.mentions_erased = sweep_mentions(
        names=values["full_names"],
        reachable=[*values["phones"], *values["emails"]],
        contact_ids=holdings.contact_ids,
    )
    result.audit_events_redacted = redact_values(
        values=[*values["full_names"], *values["name_parts"], *values["phones"], *values["emails"]]
    )
    _compact_search_index()
    result.files_removed = [name for _storage, name in files]
    transaction.on_commit(lambda: _remove_files(files))
    return result


def _remove_files(files: Sequence[tuple[Any, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not remove an erased person's file", extra={"file": name})


def _compact_search_index() -> None:
    """SQLite's FTS index keeps deleted terms in old segments until merged: merge now."""
    if connection.vendor != "sqlite":
        return
    from hamkor.contacts.search import SEARCHED_TABLES

    with connection.cursor() as cursor:
        for table in SEARCHED_TABLES:
            fts = f"{table}_fts"
            cursor.execute("SELECT name FROM sqlite_master WHERE name = %s", [fts])
            if cursor.fetchone():
                # The table name comes from SEARCHED_TABLES, never from input.
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")  # noqa: S608


def _swept_models() -> list[type[models.Model]]:
    tables = set(connection.introspection.table_names())
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and label_of(model) not in SWEEP_SKIPPED_MODELS
        and model._meta.db_table in tables
    ]


def _pattern(needles: Iterable[str]) -> re.Pattern[str] | None:
    cleaned = sorted({n.strip() for n in needles if n and n.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    return re.compile("|".join(re.escape(n) for n in cleaned), re.IGNORECASE)


def _scrub(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, dict):
        return {pattern.sub(ERASED, str(k)): _scrub(v, pattern) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(item, pattern) for item in value]
    return value


def sweep_mentions(
    *, names: Sequence[str], reachable: Sequence[str], contact_ids: Sequence[int]
) -> int:
    """Replace the person's full names, phones and emails with "[erased]" in every text column
    of every table (notifications, unlinked messages, login throttles, other notes).

    Rows that belong to another contact only lose the phones and emails: a namesake's
    booking keeps its name. Returns how many rows changed.
    """
    everything = [*names, *reachable]
    all_pattern = _pattern(everything)
    reach_pattern = _pattern(reachable)
    if all_pattern is None:
        return 0
    changed = 0
    for model in _swept_models():
        label = label_of(model)
        fields = [
            f
            for f in stored_fields(model)
            if isinstance(f, (*TEXT_FIELDS, models.JSONField))
            and not f.choices
            and not f.is_relation
            and f"{label}.{f.name}" not in SWEEP_SKIPPED_FIELDS
        ]
        if not fields:
            continue
        own = _own_rows(model, contact_ids)
        changed += _sweep_model(model, fields, everything, all_pattern, own)
        if reach_pattern is not None:
            changed += _sweep_model(model, fields, list(reachable), reach_pattern, ~own)
    return changed


def _own_rows(model: type[models.Model], contact_ids: Sequence[int]) -> models.Q:
    """Rows not tied to another contact: free for the full sweep."""
    if model is Contact:
        return models.Q(pk__in=list(contact_ids))
    condition = models.Q()
    for f in model._meta.concrete_fields:
        if isinstance(f, models.ForeignKey) and f.related_model is Contact:
            condition &= models.Q(**{f"{f.name}__isnull": True}) | models.Q(
                **{f"{f.name}__in": list(contact_ids)}
            )
    return condition


def _sweep_model(
    model: type[models.Model],
    fields: Sequence[models.Field[Any, Any]],
    needles: list[str],
    pattern: re.Pattern[str],
    scope: models.Q,
) -> int:
    annotations: dict[str, Any] = {}
    match = models.Q()
    for f in fields:
        target = f.attname
        variants = set(needles)
        if isinstance(f, models.JSONField):
            target = f"privacy_text_{f.attname}"
            annotations[target] = Cast(f.attname, models.TextField())
            # SQLite keeps JSON with non-ASCII letters escaped (\u0417...).
            variants |= {json.dumps(n)[1:-1] for n in needles}
        for needle in variants:
            match |= models.Q(**{f"{target}__icontains": needle})
    manager = model._base_manager
    rows = (
        manager.annotate(**annotations)
        .filter(scope)
        .filter(match)
        .values_list("pk", *[f.attname for f in fields])
    )
    changed = 0
    for pk, *old in list(rows):
        updates = {}
        for f, value in zip(fields, old, strict=True):
            if value is None:
                continue
            new = _scrub(value, pattern)
            if new != value:
                updates[f.attname] = new
        if not updates:
            continue
        try:
            with transaction.atomic():
                manager.filter(pk=pk).update(**updates)
        except IntegrityError:
            # A unique column already holds the scrubbed text: this row gets its own.
            manager.filter(pk=pk).update(
                **{name: f"erased-{pk}" if isinstance(v, str) else v for name, v in updates.items()}
            )
        changed += 1
    return changed


def _delete_old_exports(contact_ids: Sequence[int]) -> list[str]:
    """Earlier export zips of the person: in the private folder they are deleted too."""
    from hamkor.privacy.services.exporting import export_folder, export_path

    removed: list[str] = []
    for request in PrivacyRequest.objects.filter(
        kind=RequestKind.EXPORT, contact_id_value__in=list(contact_ids)
    ).exclude(result_file=""):
        path = export_path(request)
        if path is not None and path.parent.resolve() != export_folder().resolve():
            continue  # written by the CLI where the admin asked: theirs to delete
        request.result_file = ""
        request.save(update_fields=["result_file"])
        if path is not None:
            removed.append(str(path))
            transaction.on_commit(functools.partial(path.unlink, missing_ok=True))
    return removed


@transaction.atomic
def erase_contact(*, contact: Contact, actor: User | None, note: str = "") -> PrivacyRequest:
    """Anonymize the person everywhere in one transaction; log the request and an event.

    Names become "Erased contact #<id>"; phones, emails, dates, notes, custom fields and
    every free text on their timeline go; their files are removed after commit. Orders,
    invoices, amounts, dates and counts stay.
    """
    lock_rows(Contact, contact.pk)
    holdings = collect_holdings(contact, keep_out=NOT_PERSONAL_MODELS)
    values = identifying_values(contact)
    result = erase_holdings(holdings=holdings, values=values)
    # The note is typed by a person and may name the contact.
    note_pattern = _pattern([value for group in values.values() for value in group])
    if note_pattern is not None:
        note = note_pattern.sub(ERASED, note)
    old_exports = _delete_old_exports(holdings.contact_ids)
    contact.refresh_from_db()
    request = PrivacyRequest.objects.create(
        kind=RequestKind.ERASURE,
        contact=contact,
        contact_id_value=contact.pk,
        requested_by=actor,
        status=RequestStatus.DONE,
        fulfilled_at=timezone.now(),
        note=note,
        summary=result.as_summary() | {"exports_removed": len(old_exports)},
    )
    record_event(
        actor=actor,
        verb="privacy.erased",
        target=contact,
        data={"request": request.pk, "rows": sum(result.rows_changed.values())},
    )
    return request
