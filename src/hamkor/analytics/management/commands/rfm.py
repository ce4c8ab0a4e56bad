"""`hamkor rfm`: recompute every RFM score and the dashboard's pre-aggregated figures."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hamkor.analytics.services import refresh_analytics


class Command(BaseCommand):
    help = "Recompute RFM scores and the dashboard figures from orders."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--figures-only",
            action="store_true",
            help="Rebuild the dashboard figures but keep the current RFM scores.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        refresh = refresh_analytics(with_rfm=not options["figures_only"])
        self.stdout.write(
            f"Analytics refreshed in {refresh.seconds:.1f} s: {refresh.orders} orders, "
            f"{refresh.customers} customers."
        )
        if refresh.unconverted_orders:
            self.stderr.write(
                f"{refresh.unconverted_orders} orders were left out: no exchange rate for "
                "their currency on or before their date; import rates and run again."
            )
