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
from dataclasses import dataclass
from typing import Any

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


@dataclass
class ContactRow:
    first_name: str
    last_name: str
    middle_name: str
    phones: list[str]
    # What search looks for per phone (contacts.text.phone_search_digits), in that order.
    phone_digits: list[str]
    emails: list[str]
    birthday: datetime.date | None
    company: str
    job_title: str
    address: str
    city: str
    notes: str


def search_text(r: ContactRow) -> str:
    """``contacts.text.build_search_text`` of the row, phones' digits from the parse cache."""
    names = build_search_text(
        names=[r.last_name, r.first_name, r.middle_name],
        extra=[r.company] if r.company else [],
    )
    return " ".join(piece for piece in (names, *r.phone_digits, *r.emails) if piece)


class ContactWriter:
    dry_run_writes = False

    def __init__(self) -> None:
        # Normalised phones and emails of rows already taken from this file.
        self.seen: set[str] = set()
        self.companies: dict[str, int] = {}
        # SQLite: the FTS insert trigger's statement while it is paused (see bulk_sql).
        self.paused_trigger = ""
        # One import is one day's work: asking for the date per row costs a time-zone lookup.
        self.today = timezone.localdate()

    def parse(self, row: int, values: dict[str, list[str]], ctx: Context) -> ContactRow | None:
        ok = True
        texts: dict[str, str] = {}
        for key, limit in _LIMITS.items():
            raw = values.get(key, [""])[0]
            try:
                texts[key] = cells.text(raw, limit)
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
        for raw in values.get("phone", []):
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
        for raw in values.get("email", []):
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
        return ContactRow(
            first_name=texts["first_name"],
            last_name=texts["last_name"],
            middle_name=texts["middle_name"],
            phones=phones,
            phone_digits=digits,
            emails=emails,
            birthday=birthday,
            company=texts["company"],
            job_title=texts["job_title"],
            address=texts["address"],
            city=texts["city"],
            notes=texts["notes"],
        )

    def _existing(self, records: list[tuple[int, ContactRow]]) -> dict[str, int]:
        phones = {p for _row, r in records for p in r.phones}
        emails = {e for _row, r in records for e in r.emails}
        found: dict[str, int] = {}
        if phones:
            found.update(
                ContactPhone.objects.filter(number__in=phones, contact__archived_at__isnull=True)
                .order_by("contact_id")
                .values_list("number", "contact_id")
            )
        if emails:
            found.update(
                ContactEmail.objects.filter(email__in=emails, contact__archived_at__isnull=True)
                .order_by("contact_id")
                .values_list("email", "contact_id")
            )
        return found

    def flush(self, records: list[tuple[int, ContactRow]], ctx: Context) -> None:
        counts = ctx.counts
        checking = ctx.duplicates != DuplicateMode.CREATE
        existing = self._existing(records) if checking else {}
        new: list[ContactRow] = []
        updates: list[tuple[int, int, ContactRow]] = []
        for row, record in records:
            keys = record.phones + record.emails
            if checking and any(key in self.seen for key in keys):
                counts.skipped += 1
                counts.duplicates += 1
                continue
            self.seen.update(keys)
            match = next((existing[key] for key in keys if key in existing), None)
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
            search = search_text(r)
            contact_rows.append(
                (
                    pk,
                    r.first_name,
                    r.last_name,
                    r.middle_name,
                    contacts.prep("birthday", r.birthday) if r.birthday else None,
                    company_ids.get(r.company) if r.company else None,
                    r.job_title,
                    r.address,
                    r.city,
                    r.notes,
                    search,
                    name_key(r.first_name, r.last_name),
                )
            )
            phone_rows.extend((pk, n, mobile, i == 0) for i, n in enumerate(r.phones))
            email_rows.extend((pk, e, personal, i == 0) for i, e in enumerate(r.emails))
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
            if record.birthday and record.birthday != contact.birthday:
                values["birthday"] = record.birthday
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
