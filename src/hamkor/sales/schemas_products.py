"""Request and response shapes of the products API."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from django.utils import translation
from ninja import Field, Schema

from hamkor.contacts.schemas import BodyIn, PageIn, Text, optional
from hamkor.sales.models import Product

# Literal copies of the model choices and ordering keys, so OpenAPI lists the allowed values;
# tests/sales/test_products_api.py checks they stay equal.
UnitValue = Literal["piece", "kg", "g", "l", "m", "box", "hour", "day", "service"]
ProductOrderingValue = Literal[
    "name", "-name", "sku", "-sku", "price", "-price", "created", "-created"
]
PRICE_HELP = 'A decimal string like "150000.00" (a JSON number is accepted too); never negative.'


class NameTranslationsIn(BodyIn):
    ru: Text = Field("", max_length=200)
    uz: Text = Field("", max_length=200)
    ky: Text = Field("", max_length=200)


class ProductCreateIn(BodyIn):
    sku: Text = Field(min_length=1, max_length=64)
    name: Text = Field(min_length=1, max_length=200, description="The name in English.")
    name_translations: NameTranslationsIn | None = Field(
        None, description="The name in Russian, Uzbek and Kyrgyz; empty ones fall back to name."
    )
    category: Text = Field("", max_length=100)
    unit: UnitValue = "piece"
    price: Decimal = Field(description=PRICE_HELP)
    currency: Text = Field(min_length=3, max_length=3, description="ISO 4217 code, e.g. UZS.")
    is_active: bool = True


class ProductUpdateIn(BodyIn):
    sku: Text = optional(min_length=1, max_length=64)
    name: Text = optional(min_length=1, max_length=200)
    name_translations: NameTranslationsIn = optional(
        description="Replaces the stored translations."
    )
    category: Text = optional(max_length=100)
    unit: UnitValue = optional()
    price: Decimal = optional(description=PRICE_HELP)
    currency: Text = optional(min_length=3, max_length=3)
    is_active: bool = optional()


class ProductFilterIn(PageIn):
    q: Text = Field("", description="Part of the name (in any language) or of the SKU.")
    category: Text = ""
    active: bool | None = Field(
        None, description="true: only active products, false: only inactive; all when left out."
    )
    ordering: ProductOrderingValue = "name"


class ProductOut(Schema):
    id: int
    sku: str
    name: str
    name_translations: dict[str, str]
    display_name: str = Field(description="The name in the language of the request.")
    category: str
    unit: str
    price: str = Field(description="Decimal string, in currency.")
    currency: str
    is_active: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_display_name(obj: Product) -> str:
        return obj.display_name(translation.get_language() or "en")

    @staticmethod
    def resolve_price(obj: Product) -> str:
        return str(obj.price)


class ProductListOut(Schema):
    items: list[ProductOut]
    count: int
