"""Forms for the product catalogue: they parse what was typed; services validate and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamkor.contacts.forms import choice_field
from hamkor.sales.models import Product, Unit
from hamkor.sales.selectors.products import list_product_categories

PRODUCT_SORT_CHOICES = [
    ("name", gettext_lazy("Name, A to Z")),
    ("-name", gettext_lazy("Name, Z to A")),
    ("sku", gettext_lazy("SKU")),
    ("price", gettext_lazy("Price, lowest first")),
    ("-price", gettext_lazy("Price, highest first")),
    ("-created", gettext_lazy("Newest first")),
]
STATUS_CHOICES = [
    ("active", gettext_lazy("Active")),
    ("inactive", gettext_lazy("Inactive")),
    ("all", gettext_lazy("All")),
]
# Status filter value -> ProductFilters.active.
STATUS_ACTIVE: dict[str, bool | None] = {"active": True, "inactive": False, "all": None}
# Form field -> language of the product's translated name.
TRANSLATION_FIELDS = {"name_ru": "ru", "name_uz": "uz", "name_ky": "ky"}


class ProductFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False, choices=STATUS_CHOICES)
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort"), required=False, choices=PRODUCT_SORT_CHOICES
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "category").choices = [
            ("", _("Any category")),
            *((name, name) for name in list_product_categories()),
        ]

    def active(self) -> bool | None:
        return STATUS_ACTIVE[self.cleaned_data.get("status") or "active"]


class ProductForm(forms.Form):
    sku = forms.CharField(label=gettext_lazy("SKU"), max_length=64)
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        help_text=gettext_lazy("In English; shown wherever a translation is missing."),
    )
    name_ru = forms.CharField(label=gettext_lazy("Name in Russian"), max_length=200, required=False)
    name_uz = forms.CharField(label=gettext_lazy("Name in Uzbek"), max_length=200, required=False)
    name_ky = forms.CharField(label=gettext_lazy("Name in Kyrgyz"), max_length=200, required=False)
    category = forms.CharField(label=gettext_lazy("Category"), max_length=100, required=False)
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=Unit.choices, initial=Unit.PIECE)
    price = forms.DecimalField(
        label=gettext_lazy("Price"), min_value=0, max_digits=14, decimal_places=2, localize=True
    )
    currency = forms.CharField(
        label=gettext_lazy("Currency"),
        min_length=3,
        max_length=3,
        help_text=gettext_lazy("A code like UZS, KGS or USD."),
    )
    is_active = forms.BooleanField(
        label=gettext_lazy("Active: can be added to new orders"), required=False, initial=True
    )

    def __init__(self, *args: Any, product: Product | None = None, **kwargs: Any) -> None:
        if product is not None:
            kwargs.setdefault("initial", self.initial_for(product))
        super().__init__(*args, **kwargs)
        if product is None:
            self.fields["currency"].initial = str(settings.HAMKOR_BASE_CURRENCY).upper()

    @staticmethod
    def initial_for(product: Product) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(product, name)
            for name in ("sku", "name", "category", "unit", "price", "currency", "is_active")
        }
        for field, language in TRANSLATION_FIELDS.items():
            initial[field] = product.name_translations.get(language, "")
        return initial

    def values(self) -> dict[str, Any]:
        """What the services expect, from the cleaned data."""
        data = self.cleaned_data
        values = {
            name: data[name]
            for name in ("sku", "name", "category", "unit", "price", "currency", "is_active")
        }
        values["name_translations"] = {
            language: data[field] for field, language in TRANSLATION_FIELDS.items()
        }
        return values
