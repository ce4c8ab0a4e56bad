"""Merge duplicate contacts into one."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.contacts.models import Contact
from hamkor.contacts.services.contacts import refresh_contact_search
from hamkor.core.audit import changes, record_event, snapshot
from hamkor.core.locking import lock_rows
from hamkor.core.relations import reassign_relations

# Fields a merge fills on the kept contact when they are empty there (plus notes).
MERGE_FILLED_FIELDS = (
    "last_name",
    "middle_name",
    "company",
    "job_title",
    "address",
    "city",
    "birthday",
    "source",
    "owner",
    "team",
)


def _fill_blanks(keep: Contact, drop: Contact) -> list[str]:
    """Copy drop's values into keep's empty fields; keep's values always win."""
    filled: list[str] = []
    for name in MERGE_FILLED_FIELDS:
        if not getattr(keep, name) and getattr(drop, name):
            setattr(keep, name, getattr(drop, name))
            filled.append(name)
    if drop.notes and drop.notes not in keep.notes:
        keep.notes = f"{keep.notes}\n\n{drop.notes}".strip()
        filled.append("notes")
    for key, value in drop.custom_fields.items():
        if keep.custom_fields.get(key) in (None, ""):
            keep.custom_fields[key] = value
            filled.append(f"custom_fields.{key}")
    return filled


@transaction.atomic
def merge_contacts(*, keep: Contact, drop: Contact, actor: User) -> Contact:
    """Move drop's history and everything attached onto keep, then archive drop."""
    if keep.pk == drop.pk:
        raise ValidationError(_("A contact cannot be merged with itself."))
    rows = lock_rows(Contact, keep.pk, drop.pk)
    keep, drop = rows[keep.pk], rows[drop.pk]
    if drop.merged_into_id is not None or keep.merged_into_id is not None:
        raise ValidationError(_("One of these contacts was already merged into another."))
    before = snapshot(keep, (*MERGE_FILLED_FIELDS, "notes"))
    filled = _fill_blanks(keep, drop)
    # Both rows are locked: new versions tell anyone editing either contact that it changed.
    keep.version += 1
    keep.save()
    # Every relation pointing at a contact, from any app, found via model meta: apps added
    # later are carried without editing this function.
    report = reassign_relations(
        old=drop, new=keep, skip=frozenset({"contacts.contact.merged_into"})
    )
    drop.archived_at = timezone.now()
    drop.merged_into = keep
    drop.version += 1
    drop.save(update_fields=["archived_at", "merged_into", "updated_at", "version"])
    refresh_contact_search(keep)
    refresh_contact_search(drop)
    record_event(
        actor=actor,
        verb="contact.merged",
        target=keep,
        data={
            "from": drop.pk,
            "filled": filled,
            "moved": report.moved,
            "left_behind": report.left_behind,
            "changed": changes(before, snapshot(keep, (*MERGE_FILLED_FIELDS, "notes"))),
            "version": keep.version,
        },
    )
    record_event(
        actor=actor,
        verb="contact.merged_away",
        target=drop,
        data={
            "into": keep.pk,
            "changed": {"merged_into": ["", str(keep.pk)]},
            "version": drop.version,
        },
    )
    return keep


@transaction.atomic
def merge_many_contacts(*, keep: Contact, drops: Sequence[Contact], actor: User) -> Contact:
    """Merge several contacts into one: all of them or, on any error, none."""
    for drop in drops:
        keep = merge_contacts(keep=keep, drop=drop, actor=actor)
    return keep
