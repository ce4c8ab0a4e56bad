"""Writes for the product catalogue; only administrators and managers may change it."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hamkor.accounts.models import Role, User
from hamkor.core.audit import record_event
from hamkor.core.money import is_currency
from hamkor.sales.models import Product, Unit

# Fields a form or the API may set.
PRODUCT_FIELDS = (
    "sku",
    "name",
    "name_translations",
    "category",
    "unit",
    "price",
    "currency",
    "is_active",
)
# Languages a product name may be translated into; ``name`` serves English and any gap.
TRANSLATION_LANGUAGES = ("ru", "uz", "ky")
# Product.price keeps this many digits after the point.
PRICE_PLACES = Product._meta.get_field("price").decimal_places
# Product.price has 14 digits in all, so 12 before the point.
MAX_PRICE = Decimal(10) ** 12
CATALOGUE_ROLES = frozenset({Role.ADMIN, Role.MANAGER})


def can_manage_products(user: User) -> bool:
    """Administrators and managers keep the catalogue; everyone else only reads it."""
    return bool(user.is_superuser or user.role in CATALOGUE_ROLES)


def _require_manager(actor: User) -> None:
    if not can_manage_products(actor):
        raise PermissionDenied(_("Only administrators and managers can change products."))


def _clean_values(values: Mapping[str, Any], *, product: Product | None) -> dict[str, Any]:
    """Normalise what was sent and collect every problem at once, per field."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    unknown = set(values) - set(PRODUCT_FIELDS)
    if unknown:
        errors["__all__"] = _("Unknown fields: %(fields)s.") % {
            "fields": ", ".join(sorted(unknown))
        }
    for name in ("sku", "name", "category"):
        if name in values:
            cleaned[name] = str(values[name] or "").strip()
    if "sku" in cleaned:
        sku = cleaned["sku"]
        if not sku:
            errors["sku"] = _("Enter a SKU.")
        else:
            taken = Product.objects.filter(sku__iexact=sku)
            if product is not None:
                taken = taken.exclude(pk=product.pk)
            if taken.exists():
                errors["sku"] = _("Another product already has the SKU “%(sku)s”.") % {"sku": sku}
    if "name" in cleaned and not cleaned["name"]:
        errors["name"] = _("Enter the product's name.")
    if "unit" in values:
        if values["unit"] not in Unit.values:
            errors["unit"] = _("Choose one of the units.")
        else:
            cleaned["unit"] = values["unit"]
    if "price" in values:
        try:
            price = Decimal(str(values["price"]))
        except InvalidOperation:
            price = None
        if price is None or not price.is_finite():
            errors["price"] = _("Enter the price as a number, like 150000 or 12.50.")
        elif price < 0:
            errors["price"] = _("The price cannot be negative.")
        elif price >= MAX_PRICE:
            errors["price"] = _("The price is too large.")
        elif price.as_tuple().exponent < -PRICE_PLACES:  # type: ignore[operator]
            errors["price"] = _("Give the price with at most two digits after the point.")
        else:
            # Store and return the same value the database keeps: 120.5 -> 120.50.
            cleaned["price"] = price.quantize(Decimal(1).scaleb(-PRICE_PLACES))
    if "currency" in values:
        code = str(values["currency"] or "").strip().upper()
        if not is_currency(code) or len(code) != 3:
            errors["currency"] = _("“%(value)s” is not a currency code like UZS, KGS or USD.") % {
                "value": values["currency"]
            }
        else:
            cleaned["currency"] = code
    if "name_translations" in values:
        translations = values["name_translations"] or {}
        if not isinstance(translations, Mapping) or set(translations) - set(TRANSLATION_LANGUAGES):
            errors["name_translations"] = _(
                "Translate the name into these languages only: %(languages)s."
            ) % {"languages": ", ".join(TRANSLATION_LANGUAGES)}
        else:
            cleaned["name_translations"] = {
                language: str(text).strip()
                for language, text in sorted(translations.items())
                if text and str(text).strip()
            }
    if "is_active" in values:
        cleaned["is_active"] = bool(values["is_active"])
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def create_product(*, values: Mapping[str, Any], actor: User) -> Product:
    """Add a product to the catalogue; SKU, name, price and currency are required."""
    _require_manager(actor)
    cleaned = _clean_values(values, product=None)
    missing = {
        name: _("This field is required.")
        for name in ("sku", "name", "price", "currency")
        if name not in values
    }
    if missing:
        raise ValidationError(missing)
    product = Product(**cleaned)
    product.full_clean()
    product.save()
    record_event(actor=actor, verb="product.created", target=product, data={"sku": product.sku})
    return product


@transaction.atomic
def update_product(*, product: Product, values: Mapping[str, Any], actor: User) -> Product:
    """Change the fields sent; the rest stay as they are."""
    _require_manager(actor)
    cleaned = _clean_values(values, product=product)
    changed = sorted(name for name, value in cleaned.items() if getattr(product, name) != value)
    for name in changed:
        setattr(product, name, cleaned[name])
    if changed:
        product.full_clean()
        product.save()
        record_event(actor=actor, verb="product.updated", target=product, data={"fields": changed})
    return product


@transaction.atomic
def deactivate_product(*, product: Product, actor: User) -> Product:
    """Hide a product from new orders; past orders keep pointing at it."""
    _require_manager(actor)
    if product.is_active:
        product.is_active = False
        product.save(update_fields=["is_active", "updated_at"])
        record_event(actor=actor, verb="product.deactivated", target=product)
    return product
