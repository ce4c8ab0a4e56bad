"""`hamkor demo_billing`: invoices and payments on top of the sales and projects demo."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hamkor.billing.demo import BillingDemoExistsError, load_billing_demo


class Command(BaseCommand):
    help = "Load demo invoices: paid, partly paid, overdue and a draft (after demo_sales)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            result = load_billing_demo()
        except BillingDemoExistsError as error:
            raise CommandError(
                f"Demo invoices not loaded: {error}; nothing was changed."
            ) from error
        self.stdout.write(
            f"Demo billing loaded in {time.monotonic() - started:.1f} s: {result.invoices} "
            f"invoices ({result.paid} paid, {result.partly_paid} partly paid, "
            f"{result.overdue} overdue)."
        )
