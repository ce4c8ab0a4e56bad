"""Orders as a timeline source: each order on its customer's timeline."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamkor.core.money import format_money
from hamkor.core.timeline import TimelineEntry, TimelineQuery, TimelineSource, register_source
from hamkor.sales.models import Order, OrderChannel, OrderStatus

KIND = "order"
# An order id no real order has, replaced in the reversed URL by each order's id.
URL_PLACEHOLDER = 987654321


def order_entries(query: TimelineQuery) -> list[TimelineEntry]:
    """Newest orders of the given contacts or companies: number, total, status, link."""
    if not query.contact_ids and not query.company_ids:
        return []
    if query.channel and query.channel != KIND:
        return []
    match = Q()
    if query.contact_ids:
        match |= Q(contact_id__in=query.contact_ids)
    if query.company_ids:
        match |= Q(company_id__in=query.company_ids)
    orders = Order.objects.filter(match).select_related("created_by").order_by("-ordered_at", "-id")
    # Labels and the link are worked out once, not per entry: get_FOO_display rebuilds and
    # translates the whole choice list on every call, and a customer card shows 20 entries.
    statuses = {value: str(label) for value, label in OrderStatus.choices}
    channels = {value: str(label) for value, label in OrderChannel.choices}
    channel_label = str(_("Orders"))
    # Translators: a timeline title, e.g. "Order #12 — 315 000 soʻm".
    title = _("Order #%(number)s — %(total)s")
    url = reverse("sales:order_detail", args=[URL_PLACEHOLDER])
    entries = []
    for order in orders[: query.limit]:
        entries.append(
            TimelineEntry(
                occurred_at=order.ordered_at,
                kind=KIND,
                object_id=order.pk,
                title=title
                % {"number": order.pk, "total": format_money(order.total, order.currency)},
                channel=KIND,
                channel_label=channel_label,
                body=order.notes,
                outcome=statuses.get(order.status, order.status),
                actor=str(order.created_by) if order.created_by else "",
                url=url.replace(str(URL_PLACEHOLDER), str(order.pk), 1),
                extra={
                    "channel": channels.get(order.channel, order.channel),
                    "status": order.status,
                },
            )
        )
    return entries


def register() -> None:
    register_source(
        TimelineSource(
            kind=KIND,
            label=gettext_lazy("Orders"),
            fetch=order_entries,
            channels=[(KIND, gettext_lazy("Orders"))],
        )
    )
