"""Forms of the invoice pages: the new-invoice header, free lines, and the invoice actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamkor.billing.selectors.invoices import list_tax_rates
from hamkor.billing.services.invoices import FreeLineInput, due_days_setting
from hamkor.contacts.forms.pickers import CompanyPickerField, ContactPickerField
from hamkor.sales.models import Unit
from hamkor.sales.selectors.orders import list_payment_types

CURRENCIES = ("UZS", "KGS", "KZT", "RUB", "USD", "EUR")


class CustomerForm(forms.Form):
    """Step one of a new invoice: whom to bill."""

    contact = ContactPickerField(label=_("Contact"), required=False)
    company = CompanyPickerField(label=_("Company"), required=False)


class InvoiceHeaderForm(forms.Form):
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in CURRENCIES])
    tax_rate = forms.DecimalField(
        label=_("Tax, %"), min_value=Decimal(0), max_value=Decimal(100), decimal_places=2
    )
    payment_terms_days = forms.IntegerField(
        label=_("Payment terms (days)"), min_value=0, max_value=365
    )
    notes = forms.CharField(
        label=_("Notes on the invoice"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, currency: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rates = list(list_tax_rates())
        default = next((rate for rate in rates if rate.is_default), None)
        self.tax_rates = rates
        self.fields["tax_rate"].initial = default.percent if default else Decimal(0)
        self.fields["payment_terms_days"].initial = due_days_setting()
        if currency in CURRENCIES:
            self.fields["currency"].initial = currency


@dataclass
class FreeRow:
    """A free line as typed, kept as text so a failed save shows exactly what was entered."""

    description: str = ""
    quantity: str = "1"
    unit: str = ""
    unit_price: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def blank(self) -> bool:
        return not self.description.strip() and not self.unit_price.strip()


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip().replace(" ", "").replace("\xa0", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        return None


def read_free_rows(data: QueryDict) -> list[FreeRow]:
    """The free-line rows of a posted form, in order (blank rows included)."""
    descriptions = data.getlist("line_description")
    quantities = data.getlist("line_quantity")
    units = data.getlist("line_unit")
    prices = data.getlist("line_unit_price")
    rows = []
    for index, description in enumerate(descriptions):
        rows.append(
            FreeRow(
                description=description,
                quantity=quantities[index] if index < len(quantities) else "",
                unit=units[index] if index < len(units) else "",
                unit_price=prices[index] if index < len(prices) else "",
            )
        )
    return rows


def free_inputs(rows: list[FreeRow]) -> list[FreeLineInput] | None:
    """Service inputs from the filled rows; None when a row has an error (marked on it)."""
    inputs = []
    ok = True
    for row in rows:
        if row.blank:
            continue
        quantity, price = _decimal(row.quantity), _decimal(row.unit_price)
        if quantity is None:
            row.errors.append(str(_("Enter the quantity as a number.")))
        if price is None:
            row.errors.append(str(_("Enter the unit price as a number.")))
        if row.unit and row.unit not in Unit.values:
            row.errors.append(str(_("Choose a unit from the list.")))
        if row.errors or quantity is None or price is None:
            ok = False
            continue
        inputs.append(
            FreeLineInput(
                description=row.description,
                quantity=quantity,
                unit_price=price,
                unit=row.unit,
            )
        )
    return inputs if ok else None


def selected_ids(data: QueryDict, name: str) -> list[int]:
    return sorted({int(value) for value in data.getlist(name) if value.isdigit()})


class AddLineForm(forms.Form):
    """One free line added to a draft from its page."""

    description = forms.CharField(label=_("Description"), max_length=300)
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=Decimal("0.001"), decimal_places=3, initial=1
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=[("", "—"), *Unit.choices], required=False)
    unit_price = forms.DecimalField(label=_("Unit price"), min_value=Decimal(0), decimal_places=2)


class IssueForm(forms.Form):
    issue_date = forms.DateField(
        label=_("Issue date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issue_date"].initial = timezone.localdate()


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), min_value=Decimal("0.01"), decimal_places=2)
    paid_on = forms.DateField(label=_("Date paid"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ModelChoiceField(
        label=_("Method"), queryset=list_payment_types(), required=False
    )
    reference = forms.CharField(label=_("Reference"), max_length=120, required=False)

    def __init__(self, *args: Any, balance: Decimal | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()
        cast("forms.ModelChoiceField[Any]", self.fields["method"]).queryset = list_payment_types()
        if balance is not None:
            self.fields["amount"].initial = balance


class SendForm(forms.Form):
    to_address = forms.EmailField(label=_("Send to"), required=False)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)
