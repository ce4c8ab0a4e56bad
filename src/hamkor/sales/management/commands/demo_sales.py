"""`hamkor demo_sales`: products, orders, deals and rates on top of `hamkor demo`."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hamkor.sales.demo import SalesDemoExistsError, load_sales_demo


class Command(BaseCommand):
    help = "Load demo sales data (needs `hamkor demo` first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            result = load_sales_demo(seed=options["seed"])
        except SalesDemoExistsError as error:
            raise CommandError(
                f"Demo sales data not loaded: {error}; nothing was changed."
            ) from error
        self.stdout.write(
            f"Demo sales loaded in {time.monotonic() - started:.1f} s: {result.products} products, "
            f"{result.orders} orders, {result.deals} deals, {result.loyal} loyal customers."
        )
