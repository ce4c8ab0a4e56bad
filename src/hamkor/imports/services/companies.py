"""Companies import through the contacts app's services; matched by name, phone or email."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from hamkor.contacts.models import Company
from hamkor.contacts.services import create_company, update_company
from hamkor.imports.models import DuplicateMode
from hamkor.imports.services import values as cells
from hamkor.imports.services.engine import Context, validation_messages

_LIMITS = {
    "name": 200,
    "legal_name": 200,
    "tax_id": 32,
    "website": 200,
    "address": 255,
    "city": 100,
    "notes": 10_000,
}


@dataclass
class CompanyRow:
    values: dict[str, str]

    def keys(self) -> list[str]:
        found = ["name:" + self.values["name"].lower()]
        found += [f"{k}:{self.values[k]}" for k in ("phone", "email") if self.values.get(k)]
        return found


class CompanyWriter:
    dry_run_writes = True
    parse_elsewhere = False

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def parse(self, row: int, values: dict[str, list[str]], ctx: Context) -> CompanyRow | None:
        ok = True
        cleaned: dict[str, str] = {}
        for key, limit in _LIMITS.items():
            if key in values:
                try:
                    cleaned[key] = cells.text(values[key][0], limit)
                except cells.CellError as error:
                    ctx.error(row, key, str(error))
                    ok = False
        if not cleaned.get("name") and ok:
            ctx.error(row, "name", _("Enter the company's name."))
            ok = False
        if values.get("phone"):
            try:
                cleaned["phone"] = cells.phone(values["phone"][0])
            except cells.CellError as error:
                ctx.error(row, "phone", str(error))
                ok = False
        if values.get("email"):
            try:
                cleaned["email"] = cells.email(values["email"][0])
            except cells.CellError as error:
                ctx.error(row, "email", str(error))
                ok = False
        website = cleaned.get("website", "")
        if website and "://" not in website:
            cleaned["website"] = "https://" + website
        return CompanyRow(values=cleaned) if ok else None

    def flush(self, records: list[tuple[int, CompanyRow]], ctx: Context) -> None:
        checking = ctx.duplicates != DuplicateMode.CREATE
        existing: dict[str, Company] = {}
        if checking:
            names = {r.values["name"].lower() for _row, r in records}
            phones = {r.values["phone"] for _row, r in records if r.values.get("phone")}
            emails = {r.values["email"] for _row, r in records if r.values.get("email")}
            found = (
                Company.objects.filter(archived_at__isnull=True)
                .annotate(lowered=Lower("name"))
                .filter(Q(lowered__in=names) | Q(phone__in=phones) | Q(email__in=emails))
            )
            for company in sorted(found, key=lambda c: c.pk, reverse=True):
                existing["name:" + company.name.lower()] = company
                if company.phone:
                    existing["phone:" + company.phone] = company
                if company.email:
                    existing["email:" + company.email.lower()] = company
        for row, record in records:
            keys = record.keys()
            if checking and any(key in self.seen for key in keys):
                ctx.counts.skipped += 1
                ctx.counts.duplicates += 1
                continue
            self.seen.update(keys)
            match = next((existing[k] for k in keys if k in existing), None)
            if match is not None and ctx.duplicates == DuplicateMode.SKIP:
                ctx.counts.skipped += 1
                ctx.counts.duplicates += 1
                continue
            self._save(row, record, match, ctx)

    def _save(self, row: int, record: CompanyRow, match: Company | None, ctx: Context) -> None:
        values: dict[str, Any] = dict(record.values)
        try:
            with transaction.atomic():
                if match is None:
                    create_company(values=values, actor=ctx.actor)
                else:
                    changed = {k: v for k, v in values.items() if v and getattr(match, k) != v}
                    update_company(company=match, values=changed, actor=ctx.actor)
        except ValidationError as error:
            ctx.error(row, "", validation_messages(error))
            ctx.counts.errors += 1
            return
        if match is None:
            ctx.counts.new += 1
        else:
            ctx.counts.updated += 1
            ctx.counts.duplicates += 1

    def finish(self, ctx: Context) -> None:
        return None
