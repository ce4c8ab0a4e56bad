"""REST API for the product catalogue: anyone signed in reads; admins and managers write."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.errors import HttpError

from hamkor.contacts.api import read_query, viewer_of
from hamkor.contacts.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut
from hamkor.core.paging import list_page
from hamkor.sales.models import Product
from hamkor.sales.schemas_products import (
    ProductCreateIn,
    ProductFilterIn,
    ProductListOut,
    ProductOut,
    ProductUpdateIn,
)
from hamkor.sales.selectors.products import ProductFilters, get_product, list_products
from hamkor.sales.services.products import create_product, deactivate_product, update_product

router = Router(tags=["products"])

CHANGE_ERRORS = {**WRITE_ERRORS, 403: ErrorOut}


def _forbidden(error: PermissionDenied) -> HttpError:
    return HttpError(403, str(error))


def _values(payload: ProductCreateIn | ProductUpdateIn) -> dict[str, Any]:
    return payload.dict(exclude_unset=isinstance(payload, ProductUpdateIn))


@router.get(
    "",
    response={200: ProductListOut, **READ_ERRORS},
    summary="List products",
    description="The catalogue, searched, filtered, ordered and paged.",
)
def list_products_view(request: HttpRequest, filters: Query[ProductFilterIn]) -> dict[str, Any]:
    read_query(request, filters)
    products = list_products(
        filters=ProductFilters(q=filters.q, category=filters.category, active=filters.active),
        ordering=filters.ordering,
    )
    return list_page(products, offset=filters.offset, limit=filters.limit)


@router.post(
    "",
    response={201: ProductOut, **CHANGE_ERRORS},
    summary="Create a product",
    description="Administrators and managers only.",
)
def create_product_view(request: HttpRequest, payload: ProductCreateIn) -> Status[Product]:
    try:
        product = create_product(values=_values(payload), actor=viewer_of(request))
    except PermissionDenied as error:
        raise _forbidden(error) from None
    return Status(201, product)


@router.get("/{product_id}", response={200: ProductOut, **READ_ERRORS}, summary="A product")
def get_product_view(request: HttpRequest, product_id: int) -> Product:
    return get_product(pk=product_id)


@router.patch(
    "/{product_id}",
    response={200: ProductOut, **CHANGE_ERRORS},
    summary="Update a product",
    description="Only the fields sent change. Administrators and managers only.",
)
def update_product_view(request: HttpRequest, product_id: int, payload: ProductUpdateIn) -> Product:
    product = get_product(pk=product_id)
    try:
        return update_product(product=product, values=_values(payload), actor=viewer_of(request))
    except PermissionDenied as error:
        raise _forbidden(error) from None


@router.delete(
    "/{product_id}",
    response={204: None, **CHANGE_ERRORS},
    summary="Deactivate a product",
    description="Hides it from new orders; past orders keep it. Administrators and managers only.",
)
def deactivate_product_view(request: HttpRequest, product_id: int) -> Status[None]:
    product = get_product(pk=product_id)
    try:
        deactivate_product(product=product, actor=viewer_of(request))
    except PermissionDenied as error:
        raise _forbidden(error) from None
    return Status(204, None)
