"""`hamkor rates import SOURCE [--format cbu|csv]`: load exchange rates from a file or URL."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import ngettext

from hamkor.core.rates import FORMATS, detect_format, import_rates, parse_rates, read_source


class Command(BaseCommand):
    help = "Import exchange rates."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "import",
            help="Import rates from a file or an http(s) URL: the Central Bank of Uzbekistan's "
            "JSON (e.g. https://cbu.uz/uz/arkhiv-kursov-valyut/json/) or a CSV with the header "
            "date,currency,rate. Nothing is saved if any entry is invalid.",
        )
        load.add_argument("source", help="A file path or an http(s) URL.")
        load.add_argument(
            "--format",
            choices=FORMATS,
            default=None,
            help="cbu or csv; guessed from the content when left out.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["source"]
        try:
            text = read_source(source)
            chosen = options["format"] or detect_format(text)
            rates = parse_rates(text, format=chosen)
            result = import_rates(rates=rates, source=chosen)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        total = result.created + result.updated + result.unchanged
        self.stdout.write(
            ngettext(
                "Read %(total)s rate: %(created)s imported, %(updated)s updated, "
                "%(unchanged)s unchanged.",
                "Read %(total)s rates: %(created)s imported, %(updated)s updated, "
                "%(unchanged)s unchanged.",
                total,
            )
            % {
                "total": total,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            }
        )
