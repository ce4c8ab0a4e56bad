"""Reads for the product catalogue; every signed-in user may see every product."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from hamkor.sales.models import Product

# API and UI ordering keys -> ORDER BY; the id last keeps pages stable.
PRODUCT_ORDERINGS: dict[str, tuple[str, ...]] = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "sku": ("sku", "id"),
    "-sku": ("-sku", "-id"),
    "price": ("currency", "price", "id"),
    "-price": ("currency", "-price", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
}


@dataclass(frozen=True)
class ProductFilters:
    q: str = ""
    category: str = ""
    # None: active and inactive alike.
    active: bool | None = True


def list_products(
    *, filters: ProductFilters | None = None, ordering: str = "name"
) -> QuerySet[Product]:
    """Products matching a name (in any language) or SKU fragment, category and active flag."""
    filters = filters or ProductFilters()
    queryset = Product.objects.all()
    q = filters.q.strip()
    if q:
        queryset = queryset.filter(
            Q(name__icontains=q)
            | Q(sku__icontains=q)
            | Q(name_translations__ru__icontains=q)
            | Q(name_translations__uz__icontains=q)
            | Q(name_translations__ky__icontains=q)
        )
    if filters.category:
        queryset = queryset.filter(category__iexact=filters.category)
    if filters.active is not None:
        queryset = queryset.filter(is_active=filters.active)
    return queryset.order_by(*PRODUCT_ORDERINGS.get(ordering, PRODUCT_ORDERINGS["name"]))


def get_product(*, pk: int) -> Product:
    """One product, active or not; raises Product.DoesNotExist otherwise."""
    return Product.objects.get(pk=pk)


def list_product_categories() -> list[str]:
    """Categories in use, alphabetically, for filters and suggestions."""
    return list(
        Product.objects.exclude(category="")
        .order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )
