"""`hamkor insight recompute`: rebuild purchase cycles, product pairs and loyal marks."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hamkor.sales.services.insight import (
    mark_loyal_contacts,
    recompute_product_pairs,
    recompute_purchase_cycles,
)


class Command(BaseCommand):
    help = "Recompute purchase insight (next purchases, recommendations, loyal customers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["recompute"], help="What to do.")

    def handle(self, *args: Any, **options: Any) -> None:
        total = time.monotonic()
        for label, step in (
            ("purchase cycles", recompute_purchase_cycles),
            ("product pairs", recompute_product_pairs),
            ("contacts marked loyal", mark_loyal_contacts),
        ):
            started = time.monotonic()
            count = step()
            self.stdout.write(f"{label}: {count} in {time.monotonic() - started:.2f} s")
        self.stdout.write(f"insight recomputed in {time.monotonic() - total:.2f} s")
