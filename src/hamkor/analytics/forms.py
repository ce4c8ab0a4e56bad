"""The dashboard's settings form: churn period and how many months the charts cover."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hamkor.analytics.selectors import DEFAULT_CHURN_DAYS, DEFAULT_MONTHS

MAX_CHURN_DAYS = 3650
MAX_MONTHS = 36


class DashboardForm(forms.Form):
    churn_days = forms.IntegerField(
        label=_("Churned after (days without a purchase)"),
        min_value=1,
        max_value=MAX_CHURN_DAYS,
        initial=DEFAULT_CHURN_DAYS,
        required=False,
    )
    months = forms.IntegerField(
        label=_("Months shown"),
        min_value=1,
        max_value=MAX_MONTHS,
        initial=DEFAULT_MONTHS,
        required=False,
    )

    def churn_value(self) -> int:
        return int(self.cleaned_data.get("churn_days") or DEFAULT_CHURN_DAYS)

    def months_value(self) -> int:
        return int(self.cleaned_data.get("months") or DEFAULT_MONTHS)
