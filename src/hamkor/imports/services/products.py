"""Products import through the sales app's services; matched by SKU."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from hamkor.imports.models import DuplicateMode
from hamkor.imports.services import values as cells
from hamkor.imports.services.engine import Context, validation_messages
from hamkor.sales.models import Product, Unit
from hamkor.sales.services.products import create_product, update_product


@dataclass
class ProductRow:
    values: dict[str, Any]


class ProductWriter:
    dry_run_writes = True
    parse_elsewhere = False

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def parse(self, row: int, values: dict[str, list[str]], ctx: Context) -> ProductRow | None:
        ok = True
        cleaned: dict[str, Any] = {}
        for key, limit in (("sku", 64), ("name", 200), ("category", 100)):
            try:
                cleaned[key] = cells.text(values.get(key, [""])[0], limit)
            except cells.CellError as error:
                ctx.error(row, key, str(error))
                ok = False
        if ok and not cleaned["sku"]:
            ctx.error(row, "sku", _("Enter a SKU."))
            ok = False
        if ok and not cleaned["name"]:
            ctx.error(row, "name", _("Enter the product's name."))
            ok = False
        if not cleaned.get("category"):
            cleaned.pop("category", None)
        if values.get("unit"):
            unit = values["unit"][0].strip().lower()
            labels = {str(label).lower(): value for value, label in Unit.choices}
            if unit in Unit.values or unit in labels:
                cleaned["unit"] = unit if unit in Unit.values else labels[unit]
            else:
                ctx.error(row, "unit", _("Choose one of the units."))
                ok = False
        if values.get("price"):
            try:
                cleaned["price"] = cells.number(values["price"][0])
            except cells.CellError as error:
                ctx.error(row, "price", str(error))
                ok = False
        else:
            ctx.error(row, "price", _("Enter the price."))
            ok = False
        cleaned["currency"] = (
            values["currency"][0].strip().upper()
            if values.get("currency")
            else settings.HAMKOR_DEFAULT_CURRENCY
        )
        return ProductRow(values=cleaned) if ok else None

    def flush(self, records: list[tuple[int, ProductRow]], ctx: Context) -> None:
        skus = {r.values["sku"].lower() for _row, r in records}
        existing = {
            p.sku.lower(): p
            for p in Product.objects.annotate(lowered=Lower("sku")).filter(lowered__in=skus)
        }
        for row, record in records:
            sku = record.values["sku"].lower()
            if sku in self.seen:
                ctx.counts.skipped += 1
                ctx.counts.duplicates += 1
                continue
            self.seen.add(sku)
            match = existing.get(sku)
            if match is not None and ctx.duplicates == DuplicateMode.SKIP:
                ctx.counts.skipped += 1
                ctx.counts.duplicates += 1
                continue
            if match is not None and ctx.duplicates == DuplicateMode.CREATE:
                # SKUs are unique: a second product with the same one cannot exist.
                ctx.error(
                    row,
                    "sku",
                    _("Another product already has the SKU “%(sku)s”.") % {"sku": match.sku},
                )
                ctx.counts.errors += 1
                continue
            try:
                with transaction.atomic():
                    if match is None:
                        create_product(values=record.values, actor=ctx.actor)
                    else:
                        # The SKU matched ignoring case; the catalogue keeps its spelling.
                        changes = {k: v for k, v in record.values.items() if k != "sku"}
                        update_product(product=match, values=changes, actor=ctx.actor)
            except ValidationError as error:
                ctx.error(row, "", validation_messages(error))
                ctx.counts.errors += 1
                continue
            if match is None:
                ctx.counts.new += 1
            else:
                ctx.counts.updated += 1
                ctx.counts.duplicates += 1

    def finish(self, ctx: Context) -> None:
        return None
