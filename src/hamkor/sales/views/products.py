"""Product catalogue pages: list with search as you type, create, edit and deactivate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from hamkor.contacts.forms import apply_service_errors
from hamkor.contacts.views.common import (
    PAGE_SIZE,
    AuthedRequest,
    query_without_page,
    wants_partial,
)
from hamkor.sales.forms_products import ProductFilterForm, ProductForm
from hamkor.sales.models import Product
from hamkor.sales.selectors.products import ProductFilters, get_product, list_products
from hamkor.sales.services.products import (
    can_manage_products,
    create_product,
    deactivate_product,
    update_product,
)


@dataclass(frozen=True)
class ProductRow:
    """A product with its name in the viewer's language."""

    product: Product
    name: str


def _product(pk: int) -> Product:
    try:
        return get_product(pk=pk)
    except Product.DoesNotExist:
        raise Http404 from None


def _require_manager(request: AuthedRequest) -> None:
    if not can_manage_products(request.user):
        raise PermissionDenied


@login_required
@require_GET
@vary_on_headers("HX-Request")
def product_list(request: AuthedRequest) -> HttpResponse:
    """The catalogue with search as you type, category and status filters, sort and pages."""
    form = ProductFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    filters = ProductFilters(
        q=data.get("q", ""), category=data.get("category") or "", active=form.active()
    )
    products = list_products(filters=filters, ordering=data.get("sort") or "name")
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    language = translation.get_language() or "en"
    context: dict[str, Any] = {
        "form": form,
        "page_obj": page,
        "rows": [ProductRow(product=p, name=p.display_name(language)) for p in page.object_list],
        "base_query": query_without_page(request),
        "filtered": bool(filters.q or filters.category or filters.active is not True),
        "can_manage": can_manage_products(request.user),
    }
    template = "sales/_product_results.html" if wants_partial(request) else "sales/products.html"
    return render(request, template, context)


def _render_form(
    request: AuthedRequest, form: ProductForm, product: Product | None = None
) -> HttpResponse:
    return render(request, "sales/products_form.html", {"form": form, "product": product})


@login_required
def product_create(request: AuthedRequest) -> HttpResponse:
    _require_manager(request)
    if request.method != "POST":
        return _render_form(request, ProductForm())
    form = ProductForm(request.POST)
    if not form.is_valid():
        return _render_form(request, form)
    try:
        product = create_product(values=form.values(), actor=request.user)
    except ValidationError as error:
        apply_service_errors(form, error)
        return _render_form(request, form)
    messages.success(request, _("%(name)s was added.") % {"name": product.name})
    return redirect("sales:product_list")


@login_required
def product_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    product = _product(pk)
    if request.method != "POST":
        return _render_form(request, ProductForm(product=product), product)
    form = ProductForm(request.POST, product=product)
    if not form.is_valid():
        return _render_form(request, form, product)
    try:
        update_product(product=product, values=form.values(), actor=request.user)
    except ValidationError as error:
        apply_service_errors(form, error)
        return _render_form(request, form, product)
    messages.success(request, _("%(name)s was saved.") % {"name": product.name})
    return redirect("sales:product_list")


@login_required
@require_POST
def product_deactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    product = deactivate_product(product=_product(pk), actor=request.user)
    messages.success(
        request,
        _("%(name)s was deactivated; it can no longer be added to orders.")
        % {"name": product.name},
    )
    return redirect("sales:product_list")


urlpatterns: list[URLPattern | URLResolver] = [
    path("products/", product_list, name="product_list"),
    path("products/new/", product_create, name="product_create"),
    path("products/<int:pk>/edit/", product_edit, name="product_edit"),
    path("products/<int:pk>/deactivate/", product_deactivate, name="product_deactivate"),
]
