"""`hamkor compiletranslations`: .po -> .mo with babel, so no GNU gettext is needed.

Fails (non-zero exit) on fuzzy or untranslated-but-flagged entries with --strict, which CI uses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Compile the project's .po files into .mo files; --strict fails on fuzzy entries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--strict", action="store_true", help="Fail on fuzzy or empty entries.")

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                problems.extend(self._compile(po_path, strict=options["strict"]))
                compiled += 1
        if problems:
            raise CommandError("\n".join(problems))
        if options["verbosity"] > 0:
            self.stdout.write(f"Compiled {compiled} translation files.")

    def _compile(self, po_path: Path, *, strict: bool) -> list[str]:
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        problems: list[str] = []
        if strict:
            language = po_path.parent.parent.name
            for message in catalog:
                if not message.id:
                    continue
                if message.fuzzy:
                    problems.append(f"{po_path}: fuzzy entry {message.id!r}")
                elif language != "en" and not _translated(message.string):
                    problems.append(f"{po_path}: untranslated entry {message.id!r}")
        with po_path.with_suffix(".mo").open("wb") as handle:
            # Fuzzy entries are never used at run time, as with msgfmt.
            write_mo(handle, catalog, use_fuzzy=False)
        return problems


def _translated(string: str | tuple[str, ...] | list[str] | None) -> bool:
    if string is None:
        return False
    if isinstance(string, str):
        return bool(string)
    return all(string)
