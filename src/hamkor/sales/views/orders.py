"""Order pages: list, detail with status buttons, and the new-order form with htmx lines."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hamkor.contacts.models import Contact
from hamkor.contacts.views.common import (
    PAGE_SIZE,
    AuthedRequest,
    query_without_page,
    visible_contact,
    wants_partial,
)
from hamkor.sales.forms_orders import (
    LineRow,
    OrderForm,
    fill_prices,
    line_inputs,
    preview_totals,
    products_on_lines,
    read_line_rows,
    rows_from_lines,
)
from hamkor.sales.models import Order, OrderChannel, OrderStatus, Product
from hamkor.sales.selectors.insight import loyalty_offer
from hamkor.sales.selectors.orders import OrderFilters, get_order, list_order_products, list_orders
from hamkor.sales.services.orders import (
    EDITABLE_STATUSES,
    OrderDetails,
    allowed_statuses,
    create_order,
    update_order,
)
from hamkor.sales.services.orders import set_order_status as set_status

CURRENCIES = ("UZS", "KGS", "KZT", "RUB", "USD", "EUR")
BLANK_ROWS = 1


def _visible_order(request: AuthedRequest, pk: int) -> Order:
    try:
        return get_order(viewer=request.user, pk=pk)
    except Order.DoesNotExist:
        raise Http404 from None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_GET
def order_list(request: AuthedRequest) -> HttpResponse:
    """Orders the user may see, filterable by status and channel, 25 per page."""
    status = request.GET.get("status", "")
    channel = request.GET.get("channel", "")
    filters = OrderFilters(
        contact_id=_int(request.GET.get("contact")),
        status=status if status in OrderStatus.values else "",
        channel=channel if channel in OrderChannel.values else "",
    )
    orders = list_orders(viewer=request.user, filters=filters)
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "filters": filters,
        "statuses": OrderStatus.choices,
        "channels": OrderChannel.choices,
        "base_query": query_without_page(request),
        "filtered": any(vars(filters).values()),
    }
    template = "sales/_order_results.html" if wants_partial(request) else "sales/order_list.html"
    return render(request, template, context)


def _locked_reason(order: Order) -> str:
    """Why the lines cannot be changed, or "" when they can."""
    if order.status in EDITABLE_STATUSES:
        return ""
    if order.status == OrderStatus.PAID:
        return _(
            "This order is paid, so its lines are kept as they were. If it was entered "
            "wrongly, cancel it and enter a new order."
        )
    if order.status == OrderStatus.CANCELLED:
        return _("This order is cancelled, so its lines are kept as they were.")
    return _("The lines of this order cannot be changed.")


def _lines_context(
    order: Order,
    rows: list[LineRow] | None = None,
    line_errors: list[str] | None = None,
    saved: bool = False,
) -> dict[str, Any]:
    """What the lines card needs: editable rows as typed (or as saved) and a live total."""
    lines = list(order.lines.all())
    kept = products_on_lines(lines)
    if rows is None:
        rows = rows_from_lines(lines)
    total = preview_totals(rows, order.currency)
    # Lines keep products that are no longer sold; list those too so the rows show them.
    products: list[Product] = list(list_order_products())
    listed = {str(product.pk) for product in products}
    products += [product for key, product in kept.items() if key not in listed]
    return {
        "order": order,
        "lines": lines,
        "locked_reason": _locked_reason(order),
        "rows": rows or [LineRow()],
        "products": products,
        "currency": order.currency,
        "total": total,
        "line_errors": line_errors or [],
        "row_errors": any(row.errors for row in rows),
        "saved": saved,
    }


@login_required
@require_GET
def order_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    order = _visible_order(request, pk)
    context = {"next_statuses": _status_choices(order), **_lines_context(order)}
    return render(request, "sales/order_detail.html", context)


@login_required
@require_POST
def order_lines(request: AuthedRequest, pk: int) -> HttpResponse:
    """Replace a draft or confirmed order's lines with the rows as edited; htmx gets the card."""
    order = _visible_order(request, pk)
    rows = read_line_rows(request.POST)
    inputs, rows_ok = line_inputs(rows, kept=products_on_lines(order.lines.all()))
    line_errors: list[str] = []
    if rows_ok:
        try:
            update_order(order=order, actor=request.user, lines=inputs)
        except ValidationError as error:
            line_errors = _line_messages(error)
        else:
            order = _visible_order(request, pk)
            if not request.htmx:
                messages.success(request, _("The lines were saved."))
                return redirect("sales:order_detail", pk=order.pk)
            return render(request, "sales/_order_lines.html", _lines_context(order, saved=True))
    context = _lines_context(order, rows=rows, line_errors=line_errors)
    if request.htmx:
        return render(request, "sales/_order_lines.html", context)
    context["next_statuses"] = _status_choices(order)
    return render(request, "sales/order_detail.html", context)


def _line_messages(error: ValidationError) -> list[str]:
    """A service error about lines as a flat list of sentences."""
    if hasattr(error, "error_dict"):
        return [message for messages_ in error.message_dict.values() for message in messages_]
    return list(error.messages)


def _status_choices(order: Order) -> list[tuple[str, str]]:
    labels = dict(OrderStatus.choices)
    return [(value, str(labels[value])) for value in allowed_statuses(order)]


@login_required
@require_POST
def order_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """Move the order to the status of the button pressed."""
    order = _visible_order(request, pk)
    try:
        set_status(order=order, status=request.POST.get("status", ""), actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The order status was changed."))
    return redirect("sales:order_detail", pk=order.pk)


def _form_context(
    request: AuthedRequest, form: OrderForm, contact: Contact | None, rows: list[LineRow]
) -> dict[str, Any]:
    fallback = contact.currency if contact else settings.HAMKOR_DEFAULT_CURRENCY
    currency = str(form["currency"].value() or fallback).upper()
    return {
        "form": form,
        "contact": contact,
        "rows": rows,
        "products": list(list_order_products()),
        "currencies": CURRENCIES,
        "total": preview_totals(rows, currency),
        "currency": currency,
        "loyalty_discount": loyalty_offer(contact) if contact else None,
    }


def _picked_contact(request: AuthedRequest, raw: str | None) -> Contact | None:
    """The visible contact with this id, or None (for hints that must not fail)."""
    pk = _int(raw)
    if pk is None:
        return None
    try:
        return visible_contact(request, pk)
    except Http404:
        return None


def _blank_order_form(request: AuthedRequest) -> HttpResponse:
    contact_id = _int(request.GET.get("contact"))
    contact = visible_contact(request, contact_id) if contact_id is not None else None
    form = OrderForm(
        viewer=request.user,
        initial={
            "contact": contact.pk if contact else None,
            "currency": (contact.currency if contact else "") or settings.HAMKOR_DEFAULT_CURRENCY,
            "status": OrderStatus.CONFIRMED,
            "channel": OrderChannel.STORE,
        },
    )
    rows = [LineRow() for _ in range(BLANK_ROWS)]
    return render(request, "sales/order_form.html", _form_context(request, form, contact, rows))


@login_required
def order_create(request: AuthedRequest) -> HttpResponse:
    """A new order; ``?contact=`` starts it for that customer, else the customer is searched.

    Lines are added and priced with htmx.
    """
    if request.method != "POST":
        return _blank_order_form(request)
    form = OrderForm(request.POST, viewer=request.user)
    rows = read_line_rows(request.POST)
    inputs, rows_ok = line_inputs(rows)
    line_errors: list[str] = []
    contact: Contact | None = None
    if form.is_valid() and rows_ok:
        data = form.cleaned_data
        contact = data["contact"]
        try:
            order = create_order(
                actor=request.user,
                contact=contact,
                company=data["company"],
                lines=inputs,
                details=OrderDetails(
                    currency=data["currency"],
                    payment_type=data["payment_type"],
                    channel=data["channel"],
                    status=data["status"],
                    notes=data["notes"],
                ),
            )
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {}
            line_errors = errors.pop("lines", []) if errors else list(error.messages)
            for name, items in errors.items():
                form.add_error(name if name in form.fields else None, items)
        else:
            messages.success(request, _("The order was saved."))
            return redirect("sales:order_detail", pk=order.pk)
    else:
        contact = (form.cleaned_data or {}).get("contact")
    context = _form_context(request, form, contact, rows or [LineRow()])
    context["line_errors"] = line_errors
    return render(request, "sales/order_form.html", context)


@login_required
@require_GET
def order_customer_hint(request: AuthedRequest) -> HttpResponse:
    """The loyal-customer reminder for the contact just picked on the order form."""
    contact = _picked_contact(request, request.GET.get("contact"))
    context = {"contact": contact, "loyalty_discount": loyalty_offer(contact) if contact else None}
    return render(request, "sales/_order_customer_hint.html", context)


@login_required
@require_GET
def order_line_row(request: AuthedRequest) -> HttpResponse:
    """One line row: blank for "add a line", or re-priced after a product was picked."""
    rows = read_line_rows(request.GET) or [LineRow()]
    row = rows[0]
    currency = request.GET.get("currency", "").strip().upper()
    if request.GET.get("picked"):
        row.unit_price = ""
        fill_prices([row], currency)
    preview_totals([row], currency)
    context = {"row": row, "products": list(list_order_products()), "currency": currency}
    response = render(request, "sales/_line_row.html", context)
    response["HX-Trigger"] = "lines-changed"
    return response


@login_required
@require_GET
def order_line_removed(request: AuthedRequest) -> HttpResponse:
    """Answer to "remove line": nothing to show, but the total must be recomputed."""
    return HttpResponse("", headers={"HX-Trigger": "lines-changed"})


@login_required
@require_POST
def order_total(request: AuthedRequest) -> HttpResponse:
    """The live total of the lines as typed so far, and each line's total beside it."""
    currency = request.POST.get("currency", "").strip().upper()
    rows = read_line_rows(request.POST)
    context = {"total": preview_totals(rows, currency), "currency": currency, "rows": rows}
    return render(request, "sales/_order_total_live.html", context)


urlpatterns: list[URLPattern | URLResolver] = [
    path("orders/", order_list, name="order_list"),
    path("orders/new/", order_create, name="order_create"),
    path("orders/line-row/", order_line_row, name="order_line_row"),
    path("orders/line-removed/", order_line_removed, name="order_line_removed"),
    path("orders/total/", order_total, name="order_total"),
    path("orders/<int:pk>/", order_detail, name="order_detail"),
    path("orders/<int:pk>/status/", order_status, name="order_status"),
    path("orders/<int:pk>/lines/", order_lines, name="order_lines"),
    path("orders/customer-hint/", order_customer_hint, name="order_customer_hint"),
]
