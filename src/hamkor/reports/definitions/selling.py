"""Reports on selling: orders, products sold (order lines), deals."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from hamkor.accounts.models import User
from hamkor.reports.definitions.common import (
    CUSTOMER_TEXT,
    DT,
    C,
    D,
    M,
    N,
    _choice,
    _choice_group,
    _dates,
    _owner,
    _team,
    _text,
)
from hamkor.reports.registry import (
    Column,
    Grouping,
    Report,
    customer,
    owner_grouping,
    person,
    register,
    team_grouping,
)
from hamkor.sales.models import Deal, Order, OrderLine
from hamkor.sales.selectors.deals import list_deals
from hamkor.sales.selectors.orders import list_orders


def _order_lines(viewer: User) -> QuerySet[OrderLine]:
    orders = list_orders(viewer=viewer).order_by().values("pk")
    return OrderLine.objects.filter(order__in=orders).order_by("-order__ordered_at", "-id")


register(
    Report(
        key="orders",
        title=_("Orders"),
        model=Order,
        source=lambda viewer: list_orders(viewer=viewer),
        currency="currency",
        pdf=True,
        columns=(
            Column("ordered", _("Ordered"), "ordered_at", DT),
            Column("customer", _("Customer"), customer()),
            Column("status", _("Status"), "status", C),
            Column("channel", _("Channel"), "channel", C),
            Column("payment", _("Payment"), "payment_type__name"),
            Column("owner", _("Owner"), person("owner__")),
            Column("total", _("Total"), "total", M, total=True),
            Column("currency", _("Currency"), "currency"),
        ),
        filters=(
            _dates("ordered_at", _("Ordered")),
            _choice("status", _("Status")),
            _choice("channel", _("Channel")),
            _owner(),
            _team(),
            _text(*CUSTOMER_TEXT),
        ),
        groupings=(
            _choice_group("status", _("Status")),
            _choice_group("channel", _("Channel")),
            Grouping("payment", _("Payment"), "payment_type_id", F("payment_type__name")),
            Grouping("customer", _("Customer"), "contact_id", customer()),
            owner_grouping(),
            team_grouping(),
        ),
    )
)

register(
    Report(
        key="order-lines",
        title=_("Products sold"),
        model=OrderLine,
        source=_order_lines,
        currency="order__currency",
        columns=(
            Column("ordered", _("Ordered"), "order__ordered_at", DT),
            Column("sku", _("SKU"), "product__sku"),
            Column("product", _("Product"), "product__name"),
            Column("description", _("Description"), "description"),
            Column("customer", _("Customer"), customer("order__")),
            Column("quantity", _("Quantity"), "quantity", N, total=True),
            Column("unit_price", _("Unit price"), "unit_price", M),
            Column("line_total", _("Line total"), "line_total", M, total=True),
            Column("currency", _("Currency"), "order__currency"),
        ),
        filters=(
            _dates("order__ordered_at", _("Ordered")),
            _choice("status", _("Order status"), "order__status"),
            _owner("order__owner_id"),
            _team("order__team_id"),
            _text("product__name", "product__sku", "description"),
        ),
        groupings=(
            Grouping("product", _("Product"), "product_id", F("product__name")),
            Grouping("category", _("Category"), "product__category"),
            owner_grouping("order__owner", _("Owner")),
        ),
    )
)

register(
    Report(
        key="deals",
        title=_("Deals"),
        model=Deal,
        source=lambda viewer: list_deals(viewer=viewer),
        currency="currency",
        pdf=True,
        columns=(
            Column("title", _("Title"), "title"),
            Column("customer", _("Customer"), customer()),
            Column("pipeline", _("Pipeline"), "pipeline__name"),
            Column("stage", _("Stage"), "stage__name"),
            Column("status", _("Status"), "status", C),
            Column("owner", _("Owner"), person("owner__")),
            Column("expected", _("Expected close"), "expected_close_date", D),
            Column("amount", _("Amount"), "amount", M, total=True),
            Column("currency", _("Currency"), "currency"),
        ),
        filters=(
            _dates("created_at", _("Created")),
            _choice("status", _("Status")),
            _owner(),
            _team(),
            _text("title", *CUSTOMER_TEXT),
        ),
        groupings=(
            _choice_group("status", _("Status")),
            Grouping("stage", _("Stage"), "stage_id", F("stage__name")),
            Grouping("pipeline", _("Pipeline"), "pipeline_id", F("pipeline__name")),
            owner_grouping(),
            team_grouping(),
        ),
    )
)
