"""Which rows hold one person's data, found via model meta.

Starting at the contact (and the duplicates merged into it, the same person), every model
with a foreign key to it is a holding; below those, the rows that only exist as their part
(``on_delete=CASCADE``: a ticket's replies, a reply's attachments, an order's lines) are too.
Apps added later are covered without editing this module. Rows that point at *another*
contact (someone else's vote on her suggestion) are left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import phonenumbers
from django.db import models

from hamkor.contacts.models import Contact
from hamkor.core.phones import format_phone

# A ticket's reply's attachment is three steps from the contact; deeper rows are other things.
MAX_DEPTH = 3


@dataclass
class Holdings:
    """Primary keys of the person's rows, per model, in the order they were found."""

    contact_ids: list[int]
    rows: dict[type[models.Model], set[object]] = field(default_factory=dict)

    def count(self) -> int:
        return sum(len(pks) for pks in self.rows.values())


def subject_ids(contact: Contact) -> list[int]:
    """The contact and every duplicate merged into it (at any depth): one person."""
    found = [contact.pk]
    frontier = [contact.pk]
    while frontier:
        merged = list(
            Contact._base_manager.filter(merged_into_id__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        found.extend(merged)
        frontier = merged
    return found


def _contact_fields(model: type[models.Model]) -> list[models.ForeignKey[Contact, Contact]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is Contact
    ]


def _reverse_relations(model: type[models.Model]) -> list[models.ForeignObjectRel]:
    # include_hidden: relations declared with related_name="+" point here too, and so do
    # the rows of many-to-many through tables.
    return [
        relation
        for relation in model._meta.get_fields(include_hidden=True)
        if isinstance(relation, models.ForeignObjectRel)
        and relation.auto_created
        and not relation.concrete
        and not relation.many_to_many
    ]


def collect_holdings(contact: Contact, *, keep_out: frozenset[str] = frozenset()) -> Holdings:
    """Every row that holds data of ``contact``'s person (see the module docstring).

    ``keep_out`` names models ("projects.Task") left out together with the rows below them.
    """
    ids = subject_ids(contact)
    holdings = Holdings(contact_ids=ids, rows={Contact: set(ids)})
    frontier: list[tuple[type[models.Model], set[object]]] = [(Contact, set(ids))]
    for depth in range(MAX_DEPTH):
        following: list[tuple[type[models.Model], set[object]]] = []
        for parent, pks in frontier:
            for relation in _reverse_relations(parent):
                child = relation.related_model
                if not isinstance(child, type) or child is Contact:
                    continue  # merged duplicates are already in ``ids``
                if f"{child._meta.app_label}.{child._meta.object_name}" in keep_out:
                    continue
                # Below the contact, only rows that are part of their parent.
                if depth > 0 and relation.on_delete is not models.CASCADE:
                    continue
                found = _related_pks(child, relation.field.name, pks, ids)
                new = found - holdings.rows.get(child, set())
                if new:
                    holdings.rows.setdefault(child, set()).update(new)
                    following.append((child, new))
        frontier = following
    return holdings


def _related_pks(
    child: type[models.Model], field_name: str, parents: set[object], ids: Sequence[int]
) -> set[object]:
    queryset = child._base_manager.filter(**{f"{field_name}__in": list(parents)})
    for contact_field in _contact_fields(child):
        # Someone else's row under the person's (another customer's vote on her suggestion).
        queryset = queryset.filter(
            models.Q(**{f"{contact_field.name}__isnull": True})
            | models.Q(**{f"{contact_field.name}__in": ids})
        )
    return set(queryset.values_list("pk", flat=True))


# The audit redaction matches substrings: "Ali" would also hit "quality" and "valid_until".
MIN_NAME_PART = 4


def identifying_values(contact: Contact) -> dict[str, list[str]]:
    """The strings that name the person anywhere: names (whole and in parts), phones in the
    forms people write them, emails. Read before the erasure blanks them."""
    contacts = list(Contact._base_manager.filter(pk__in=subject_ids(contact)))
    full_names: set[str] = set()
    parts: set[str] = set()
    for person in contacts:
        names = [n.strip() for n in (person.first_name, person.middle_name, person.last_name)]
        names = [n for n in names if n]
        parts.update(names)
        if len(names) > 1:
            full_names.add(" ".join(names))
            full_names.add(" ".join(reversed(names)))
            full_names.add(person.full_name)
            full_names.add(f"{person.first_name} {person.last_name}".strip())
            full_names.add(f"{person.last_name} {person.first_name}".strip())
    phones: set[str] = set()
    emails: set[str] = set()
    from hamkor.contacts.models import ContactEmail, ContactPhone

    ids = [c.pk for c in contacts]
    for number in ContactPhone.objects.filter(contact_id__in=ids).values_list("number", flat=True):
        phones.update(phone_forms(number))
    for email in ContactEmail.objects.filter(contact_id__in=ids).values_list("email", flat=True):
        emails.add(email.strip().lower())
    return {
        "full_names": sorted(n for n in full_names if " " in n),
        "name_parts": sorted(p for p in parts if len(p) >= MIN_NAME_PART),
        "phones": sorted(p for p in phones if p),
        "emails": sorted(e for e in emails if e),
    }


_DIGITS = re.compile(r"\D+")
# Shorter digit runs (an extension, a year) would match unrelated text.
MIN_PHONE_DIGITS = 7


def phone_forms(e164: str) -> set[str]:
    """A stored phone as people write it: +998901112233, 998901112233, +998 90 111 22 33."""
    forms = {e164.strip()}
    digits = _DIGITS.sub("", e164)
    if len(digits) >= MIN_PHONE_DIGITS:
        forms.add(digits)
    forms.add(format_phone(e164))
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return forms
    styles = (phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.NATIONAL)
    for style in styles:
        forms.add(phonenumbers.format_number(parsed, style))
    return {form for form in forms if len(_DIGITS.sub("", form)) >= MIN_PHONE_DIGITS}
