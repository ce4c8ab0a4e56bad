"""Forms of the marketing pages: the segment editor, campaigns, the report window, bulk sends.

The segment editor shows the common rules as plain fields (all must hold) and keeps anything
else (custom fields, "any of" groups) as JSON in "more rules".
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamkor.analytics.models import RfmGroup
from hamkor.contacts.models import ConsentChannel, Language, Source, Stage
from hamkor.marketing.models import Campaign, CampaignChannel, SendChannel
from hamkor.marketing.rules import clean_rules
from hamkor.sales.models import Product

# Simple fields -> (rule field, op); each becomes one rule.
_LISTS = {
    "stage": ("stage", "in"),
    "language": ("language", "in"),
    "source": ("source", "in"),
    "rfm_group": ("rfm_group", "in"),
}
_NUMBERS = {
    "orders_min": ("order_count", "gte"),
    "orders_max": ("order_count", "lte"),
    "ltv_min": ("lifetime_value", "gte"),
    "ltv_max": ("lifetime_value", "lte"),
}


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class SegmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), max_length=255, required=False)
    city = forms.CharField(
        label=_("City"), required=False, help_text=_("Several cities: separate with commas.")
    )
    stage = forms.MultipleChoiceField(
        label=_("Stage"), choices=Stage.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    language = forms.MultipleChoiceField(
        label=_("Language"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    source = forms.ModelMultipleChoiceField(
        label=_("Source"), queryset=Source.objects.none(), required=False
    )
    tags = forms.CharField(
        label=_("Has any of the tags"),
        required=False,
        help_text=_("Separate tags with commas."),
    )
    consent = forms.ChoiceField(
        label=_("Agreed to messages by"),
        choices=[("", "—"), *ConsentChannel.choices],
        required=False,
    )
    created_after = forms.DateField(
        label=_("Added on or after"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    created_before = forms.DateField(
        label=_("Added on or before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    product = forms.ModelMultipleChoiceField(
        label=_("Bought any of the products"), queryset=Product.objects.none(), required=False
    )
    product_days = forms.IntegerField(
        label=_("…in the last N days"), min_value=1, max_value=3650, initial=90, required=False
    )
    orders_min = forms.IntegerField(label=_("At least N orders"), min_value=0, required=False)
    orders_max = forms.IntegerField(label=_("At most N orders"), min_value=0, required=False)
    ltv_min = forms.DecimalField(
        label=_("Lifetime value at least (base currency)"), min_value=0, required=False
    )
    ltv_max = forms.DecimalField(
        label=_("Lifetime value at most (base currency)"), min_value=0, required=False
    )
    rfm_group = forms.MultipleChoiceField(
        label=_("RFM group"),
        choices=RfmGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    extra = forms.CharField(
        label=_("More rules (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_(
            'Rules the fields above do not cover, e.g. [{"field": "custom", "key": "size", '
            '"op": "gte", "value": 40}] or a group {"match": "any", "rules": [...]}.'
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source_field = self.fields["source"]
        assert isinstance(source_field, forms.ModelMultipleChoiceField)  # noqa: S101
        source_field.queryset = Source.objects.order_by("position", "name")
        product_field = self.fields["product"]
        assert isinstance(product_field, forms.ModelMultipleChoiceField)  # noqa: S101
        product_field.queryset = Product.objects.order_by("name")

    def clean_extra(self) -> list[Any]:
        text = self.cleaned_data.get("extra", "").strip()
        if not text:
            return []
        try:
            value = json.loads(text)
        except ValueError:
            raise ValidationError(_("This is not valid JSON.")) from None
        items = value if isinstance(value, list) else [value]
        try:
            clean_rules({"match": "all", "rules": items})
        except ValidationError as error:
            raise ValidationError(error.message_dict.get("rules", error.messages)) from None
        return items

    def to_rules(self) -> dict[str, Any]:
        """The form's rules (call after is_valid())."""
        data = self.cleaned_data
        rules: list[dict[str, Any]] = []
        if _split(data.get("city", "")):
            rules.append({"field": "city", "op": "in", "value": _split(data["city"])})
        for name, (field, op) in _LISTS.items():
            values = data.get(name) or []
            if values:
                rules.append(
                    {"field": field, "op": op, "value": [getattr(v, "pk", v) for v in values]}
                )
        if _split(data.get("tags", "")):
            rules.append({"field": "tag", "op": "in", "value": _split(data["tags"])})
        if data.get("consent"):
            rules.append({"field": "consent", "op": "granted", "value": data["consent"]})
        if data.get("created_after"):
            rules.append(
                {"field": "created", "op": "after", "value": data["created_after"].isoformat()}
            )
        if data.get("created_before"):
            rules.append(
                {"field": "created", "op": "before", "value": data["created_before"].isoformat()}
            )
        if data.get("product"):
            rules.append(
                {
                    "field": "bought_product",
                    "op": "within_days",
                    "value": [p.pk for p in data["product"]],
                    "days": data.get("product_days") or 90,
                }
            )
        for name, (field, op) in _NUMBERS.items():
            if data.get(name) is not None:
                rules.append({"field": field, "op": op, "value": str(data[name])})
        rules.extend(data.get("extra") or [])
        return {"match": "all", "rules": rules}


def initial_from_rules(rules: dict[str, Any]) -> dict[str, Any]:
    """Form values showing a stored rule set (the inverse of SegmentForm.to_rules)."""
    initial: dict[str, Any] = {}
    extra: list[Any] = []
    if rules.get("match", "all") != "all":
        return {"extra": json.dumps([rules], ensure_ascii=False)}
    lists = {field: name for name, (field, _op) in _LISTS.items()}
    numbers = {value: name for name, value in _NUMBERS.items()}
    for rule in rules.get("rules", []):
        field, op = rule.get("field"), rule.get("op")
        if field in lists and op == "in" and lists[field] not in initial:
            initial[lists[field]] = rule["value"]
        elif field == "city" and op == "in" and "city" not in initial:
            initial["city"] = ", ".join(rule["value"])
        elif field == "tag" and op == "in" and "tags" not in initial:
            initial["tags"] = ", ".join(rule["value"])
        elif field == "consent" and op == "granted" and "consent" not in initial:
            initial["consent"] = rule["value"]
        elif field == "created" and op in ("after", "before") and f"created_{op}" not in initial:
            initial[f"created_{op}"] = rule["value"]
        elif field == "bought_product" and "product" not in initial:
            initial["product"] = rule["value"]
            initial["product_days"] = rule.get("days", 90)
        elif (field, op) in numbers and numbers[(field, op)] not in initial:
            initial[numbers[(field, op)]] = rule["value"]
        else:
            extra.append(rule)
    if extra:
        initial["extra"] = json.dumps(extra, ensure_ascii=False)
    return initial


class CampaignForm(forms.ModelForm[Campaign]):
    class Meta:
        model = Campaign
        fields = [
            "name",
            "channel",
            "starts_on",
            "ends_on",
            "cost",
            "currency",
            "source",
            "utm_campaign",
            "notes",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = CampaignChannel.choices  # type: ignore[attr-defined]
        self.fields["utm_campaign"].help_text = _(
            "Web form posts whose utm_campaign equals this code are attributed to the campaign."
        )

    def validate_unique(self) -> None:
        """The service checks the UTM code (with a message of its own)."""


class WindowForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end of the window is before its start."))
        return data

    @staticmethod
    def default_window() -> dict[str, datetime.date]:
        today = timezone.localdate()
        return {"start": today - datetime.timedelta(days=89), "end": today}


class SendForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=SendChannel.choices)
    subject = forms.CharField(
        label=_("Subject"), max_length=255, required=False, help_text=_("For email.")
    )
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "{{ contact.first_name }}, {{ contact.full_name }} and {{ sender.name }} are "
            "replaced for each customer. Emails get an unsubscribe link at the end."
        ),
    )
