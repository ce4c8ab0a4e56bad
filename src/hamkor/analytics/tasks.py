"""Background jobs: keep RFM scores and the dashboard's figures fresh."""

from __future__ import annotations

from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from hamkor.analytics import services
from hamkor.sales.models import Order


@db_periodic_task(crontab(hour=2, minute=30))
@lock_task("analytics-refresh")
def refresh_analytics_nightly() -> None:
    """Every RFM score re-ranked against everyone, and the dashboard figures rebuilt."""
    services.refresh_analytics(with_rfm=True)


@db_periodic_task(crontab(minute=15))
@lock_task("analytics-refresh")
def refresh_figures_hourly() -> None:
    """The dashboard's pre-aggregated figures rebuilt (RFM scores keep the night's ranks)."""
    services.refresh_analytics(with_rfm=False)


@db_task(retries=2, retry_delay=10)
def refresh_contact_rfm(contact_id: int) -> bool:
    """Re-score one contact after one of their orders changed; False if they have none left."""
    return services.refresh_contact_rfm(contact_id=contact_id) is not None


def on_order_changed(sender: Any, *, order_id: int, **kwargs: Any) -> None:
    """Receiver for ``sales.signals.order_changed`` (sent on commit): re-score the contact."""
    contact_id = Order.objects.filter(pk=order_id).values_list("contact_id", flat=True).first()
    if contact_id is not None:
        refresh_contact_rfm(contact_id)
