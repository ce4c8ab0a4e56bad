"""Contacts import: checked rows go in by bulk SQL, matches by phone or email are skipped or
updated through the contacts app's services.

New contacts are written here rather than through ``contacts.services.bulk_create_contacts``
because that function validates each row with ``full_clean`` and bulk_create (about 2,000
contacts/s); an import of a million rows needs ten times that. The rows are checked the
same way before (names, E.164 phones, lower-case emails) and the derived columns come from
the contacts app's own functions (``build_search_text``, ``name_key``), so search and
duplicate detection see imported contacts exactly like typed ones. On SQLite the FTS mirror
of ``search_text`` is filled by the contacts app's triggers; on PostgreSQL the trigram index
follows the column.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.contacts.models import Company, Contact, ContactEmail, ContactPhone
from hamkor.contacts.services import (
    ContactInput,
    EmailInput,
    PhoneInput,
    create_company,
    update_contact,
)
from hamkor.contacts.text import build_search_text, name_key
from hamkor.imports.models import DuplicateMode
from hamkor.imports.services import values as cells
from hamkor.imports.services.bulk_sql import (
    BulkTable,
    index_search_rows,
    reserve_ids,
    restore_search_trigger,
    sqlite_pause_search_trigger,
)
from hamkor.imports.services.engine import Context, validation_messages

_LIMITS = {
    "first_name": 100,
    "last_name": 100,
    "middle_name": 100,
    "job_title": 120,
    "address": 255,
    "city": 100,
    "company": 200,
    "notes": 10_000,
}
# contacts.text.name_key cuts its result at this length.
_NAME_KEY_LENGTH = 255
# Values per IN (...) when looking for existing phones and emails (SQLite allows 32,766).
_LOOKUP_BATCH = 10_000
_DYNAMIC = [
    "first_name",
    "last_name",
    "middle_name",
    "birthday",
    "company_id",
    "job_title",
    "address",
    "city",
    "notes",
    "search_text",
    "name_key",
]


class ContactRow(NamedTuple):
    """A checked row with its derived columns: plain data, sent between processes."""

    first_name: str
    last_name: str
    middle_name: str
    phones: list[str]
    emails: list[str]
    # ISO date or "": what Django stores on SQLite and COPY reads, and quick to send.
    birthday: str
    company: str
    job_title: str
    address: str
    city: str
    notes: str
    search_text: str
    name_key: str


# Derived text per distinct name is remembered up to this many names (files repeat names).
_NAME_CACHE = 50_000


class NameDerivations:
    """``build_search_text`` and ``name_key`` of a row, from the pieces of each name.

    Both functions treat each name on its own before joining (search text: the name and its
    transliteration; name key: sorted tokens), so the pieces of a name are worked out once
    per file and joined per row; the results equal the contacts app's (see the tests).
    """

    def __init__(self) -> None:
        self._pieces: dict[str, str] = {}
        self._tokens: dict[str, list[str] | None] = {}

    def _piece(self, text: str) -> str:
        piece = self._pieces.get(text)
        if piece is None:
            if len(self._pieces) >= _NAME_CACHE:
                self._pieces.clear()
            piece = self._pieces[text] = build_search_text(names=[text])
        return piece

    def _name_tokens(self, text: str) -> list[str] | None:
        """The sorted tokens of one name, or None when name_key's length limit cut them."""
        if text in self._tokens:
            return self._tokens[text]
        if len(self._tokens) >= _NAME_CACHE:
            self._tokens.clear()
        key = name_key(text)
        tokens = None if len(key) >= _NAME_KEY_LENGTH else key.split(" ") if key else []
        self._tokens[text] = tokens
        return tokens

    def search_text(
        self, names: Sequence[str], phone_digits: Sequence[str], emails: Sequence[str]
    ) -> str:
        """What ``build_search_text(names=..., phones=..., emails=...)`` gives, names first."""
        pieces = [piece for piece in (self._piece(n) for n in names if n) if piece]
        pieces.extend(phone_digits)
        pieces.extend(emails)
        return " ".join(pieces)

    def name_key(self, first: str, last: str) -> str:
        tokens_first = self._name_tokens(first)
        tokens_last = self._name_tokens(last)
        if tokens_first is None or tokens_last is None:
            return name_key(first, last)
        return " ".join(sorted(tokens_first + tokens_last))[:_NAME_KEY_LENGTH]


class ContactWriter:
    dry_run_writes = False
    parse_elsewhere = True

    def __init__(self) -> None:
        # Normalised phones and emails of rows already taken from this file.
        self.seen: set[str] = set()
        self.companies: dict[str, int] = {}
        # SQLite: the FTS insert trigger's statement while it is paused (see bulk_sql).
        self.paused_trigger = ""
        # One import is one day's work: asking for the date per row costs a time-zone lookup.
        self.today = timezone.localdate()
        self.derive = NameDerivations()

    def parse(self, row: int, values: dict[str, list[str]], ctx: Context) -> ContactRow | None:
        ok = True
        texts = dict.fromkeys(_LIMITS, "")
        for key, limit in _LIMITS.items():
            given = values.get(key)
            if given is None:
                continue
            try:
                texts[key] = cells.text(given[0], limit)
            except cells.CellError as error:
                ctx.error(row, key, str(error))
                ok = False
        if ok and not texts["first_name"]:
            if texts["last_name"]:
                # One-name contacts ("Karimova") keep it as the first name, which is required.
                texts["first_name"], texts["last_name"] = texts["last_name"], ""
            else:
                ctx.error(row, "first_name", _("Enter a first name."))
                ok = False
        phones: list[str] = []
        digits: list[str] = []
        for raw in values.get("phone", ()):
            try:
                number, searched = cells.phone_parts(raw)
            except cells.CellError as error:
                ctx.error(row, "phone", str(error))
                ok = False
                continue
            if number not in phones:
                phones.append(number)
                digits.append(searched)
        emails: list[str] = []
        for raw in values.get("email", ()):
            try:
                address = cells.email(raw)
            except cells.CellError as error:
                ctx.error(row, "email", str(error))
                ok = False
                continue
            if address not in emails:
                emails.append(address)
        birthday = None
        if values.get("birthday"):
            try:
                birthday = cells.date(values["birthday"][0])
            except cells.CellError as error:
                ctx.error(row, "birthday", str(error))
                ok = False
            else:
                if birthday is not None and birthday > self.today:
                    ctx.error(row, "birthday", _("A birthday cannot be in the future."))
                    ok = False
        if not ok:
            return None
        first, last, middle, company = (
            texts["first_name"],
            texts["last_name"],
            texts["middle_name"],
            texts["company"],
        )
        return ContactRow(
            first_name=first,
            last_name=last,
            middle_name=middle,
            phones=phones,
            emails=emails,
            birthday=birthday.isoformat() if birthday else "",
            company=company,
            job_title=texts["job_title"],
            address=texts["address"],
            city=texts["city"],
            notes=texts["notes"],
            # What contacts.text.build_search_text gives: names, phones' digits, emails.
            search_text=self.derive.search_text((last, first, middle, company), digits, emails),
            name_key=self.derive.name_key(first, last),
        )

    def _existing(self, records: list[tuple[int, ContactRow]]) -> dict[str, int]:
        phones = {p for _row, r in records for p in r.phones}
        emails = {e for _row, r in records for e in r.emails}
        found: dict[str, int] = {}
        found.update(_active_matches(ContactPhone, "number", phones))
        found.update(_active_matches(ContactEmail, "email", emails))
        return found

    def flush(self, records: list[tuple[int, ContactRow]], ctx: Context) -> None:
        counts = ctx.counts
        checking = ctx.duplicates != DuplicateMode.CREATE
        existing = self._existing(records) if checking else {}
        new: list[ContactRow] = []
        updates: list[tuple[int, int, ContactRow]] = []
        seen = self.seen
        for row, record in records:
            keys = record.phones + record.emails
            if checking and not seen.isdisjoint(keys):
                counts.skipped += 1
                counts.duplicates += 1
                continue
            seen.update(keys)
            match = (
                next((existing[key] for key in keys if key in existing), None) if existing else None
            )
            if match is None:
                new.append(record)
                counts.new += 1
            elif ctx.duplicates == DuplicateMode.UPDATE:
                updates.append((row, match, record))
                counts.duplicates += 1
            else:
                counts.skipped += 1
                counts.duplicates += 1
        if not ctx.write:
            counts.updated += len(updates)
            return
        self._insert(new, ctx)
        self._update(updates, ctx)

    def _company_ids(self, names: set[str], ctx: Context) -> dict[str, int]:
        missing = {name for name in names if name.lower() not in self.companies}
        if missing:
            for pk, name in Company.objects.filter(name__in=missing).values_list("pk", "name"):
                self.companies.setdefault(name.lower(), pk)
            for name in sorted(missing):
                if name.lower() not in self.companies:
                    company = create_company(values={"name": name}, actor=ctx.actor)
                    self.companies[name.lower()] = company.pk
        return {name: self.companies[name.lower()] for name in names}

    def _insert(self, new: list[ContactRow], ctx: Context) -> None:
        if not new:
            return
        now = timezone.now()
        contacts = BulkTable(
            Contact,
            _DYNAMIC,
            owner=ctx.actor,
            team_id=ctx.actor.team_id,
            created_at=now,
            updated_at=now,
            currency=settings.HAMKOR_DEFAULT_CURRENCY,
            time_zone=settings.TIME_ZONE,
        )
        phones = BulkTable(ContactPhone, ["contact_id", "number", "kind", "is_primary"])
        emails = BulkTable(ContactEmail, ["contact_id", "email", "kind", "is_primary"])
        company_ids = self._company_ids({r.company for r in new if r.company}, ctx)
        ids = reserve_ids(Contact, len(new))
        contact_rows: list[tuple[Any, ...]] = []
        phone_rows: list[tuple[Any, ...]] = []
        email_rows: list[tuple[Any, ...]] = []
        mobile = ContactPhone.Kind.MOBILE.value
        personal = ContactEmail.Kind.PERSONAL.value
        for pk, r in zip(ids, new, strict=True):
            contact_rows.append(
                (
                    pk,
                    r.first_name,
                    r.last_name,
                    r.middle_name,
                    r.birthday or None,
                    company_ids.get(r.company) if r.company else None,
                    r.job_title,
                    r.address,
                    r.city,
                    r.notes,
                    r.search_text,
                    r.name_key,
                )
            )
            if r.phones:
                phone_rows.append((pk, r.phones[0], mobile, True))
                phone_rows.extend((pk, n, mobile, False) for n in r.phones[1:])
            if r.emails:
                email_rows.append((pk, r.emails[0], personal, True))
                email_rows.extend((pk, e, personal, False) for e in r.emails[1:])
        table = Contact._meta.db_table
        if connection.vendor == "sqlite" and not self.paused_trigger:
            self.paused_trigger = sqlite_pause_search_trigger(table)
        contacts.insert(contact_rows, ids=True)
        if self.paused_trigger:
            index_search_rows(table, ids[0], ids[-1])
        phones.insert(phone_rows)
        emails.insert(email_rows)

    def _update(self, updates: list[tuple[int, int, ContactRow]], ctx: Context) -> None:
        if not updates:
            return
        by_pk = Contact.objects.in_bulk([pk for _row, pk, _r in updates])
        for row, pk, record in updates:
            contact = by_pk[pk]
            values: dict[str, Any] = {}
            for name in ("first_name", "last_name", "middle_name", "job_title", "address", "city"):
                value = getattr(record, name)
                if value and value != getattr(contact, name):
                    values[name] = value
            birthday = datetime.date.fromisoformat(record.birthday) if record.birthday else None
            if birthday and birthday != contact.birthday:
                values["birthday"] = birthday
            if record.company:
                company_id = self._company_ids({record.company}, ctx)[record.company]
                if company_id != contact.company_id:
                    values["company"] = Company.objects.get(pk=company_id)
            if record.notes and record.notes not in contact.notes:
                values["notes"] = "\n".join(n for n in (contact.notes, record.notes) if n)
            old_phones = list(contact.phones.values_list("number", "kind"))
            old_emails = list(contact.emails.values_list("email", "kind"))
            add_phones = [p for p in record.phones if p not in {n for n, _k in old_phones}]
            add_emails = [e for e in record.emails if e not in {a for a, _k in old_emails}]
            data = ContactInput(
                values=values,
                phones=[PhoneInput(number=n, kind=k) for n, k in old_phones]
                + [PhoneInput(number=n) for n in add_phones]
                if add_phones
                else None,
                emails=[EmailInput(email=a, kind=k) for a, k in old_emails]
                + [EmailInput(email=a) for a in add_emails]
                if add_emails
                else None,
            )
            try:
                with transaction.atomic():
                    update_contact(contact=contact, data=data, actor=ctx.actor)
            except ValidationError as error:
                ctx.error(row, "", validation_messages(error))
                ctx.counts.errors += 1
            else:
                ctx.counts.updated += 1

    def finish(self, ctx: Context) -> None:
        if self.paused_trigger:
            restore_search_trigger(self.paused_trigger)
            self.paused_trigger = ""


def _active_matches(
    model: type[ContactPhone] | type[ContactEmail], column: str, keys: set[str]
) -> list[tuple[str, int]]:
    """(value, contact id) of active contacts having these phones or emails, by contact id.

    The query ``model.objects.filter(<column>__in=keys, contact__archived_at__isnull=True)``
    makes, written out: building a 5,000-value IN through the ORM costs more than running it.
    """
    if not keys:
        return []
    quote = connection.ops.quote_name
    table, contacts = quote(model._meta.db_table), quote(Contact._meta.db_table)
    ordered = sorted(keys)
    found: list[tuple[str, int]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), _LOOKUP_BATCH):
            batch = ordered[start : start + _LOOKUP_BATCH]
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(
                f"SELECT m.{quote(column)}, m.contact_id FROM {table} m "  # noqa: S608 - model names
                f"JOIN {contacts} c ON c.id = m.contact_id "
                f"WHERE c.archived_at IS NULL AND m.{quote(column)} IN ({marks})",
                batch,
            )
            found.extend(cursor.fetchall())
    # Later ids win in the caller's dict, as with the ORM query's order_by("contact_id").
    found.sort(key=lambda match: match[1])
    return found
