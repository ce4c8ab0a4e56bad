"""Signals other parts of sales listen to.

``order_changed`` is sent once an order was created or changed and the transaction that
did it has committed, with the keyword argument ``order_id``. Receivers (for example the
purchase-insight updater) take the id, reload what they need and must be safe to run twice::

    from hamkor.sales.signals import order_changed
    order_changed.connect(on_order_changed, dispatch_uid="sales-insight-order-changed")
"""

from __future__ import annotations

from django.dispatch import Signal

order_changed = Signal()
