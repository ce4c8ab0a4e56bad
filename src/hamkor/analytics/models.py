from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from hamkor.contacts.models import Contact, Source


class RfmGroup(models.TextChoices):
    CHAMPIONS = "champions", _("Champions")
    LOYAL = "loyal", _("Loyal")
    POTENTIAL = "potential", _("Potential loyalists")
    NEW = "new", _("New customers")
    PROMISING = "promising", _("Promising")
    NEED_ATTENTION = "need_attention", _("Need attention")
    AT_RISK = "at_risk", _("At risk")
    CANT_LOSE = "cant_lose", _("Cannot lose them")
    HIBERNATING = "hibernating", _("Hibernating")
    LOST = "lost", _("Lost")


class RfmScore(models.Model):
    """A contact's recency, frequency and monetary scores (1–5), computed from paid orders."""

    contact = models.OneToOneField(
        Contact, on_delete=models.CASCADE, primary_key=True, related_name="rfm"
    )
    recency = models.PositiveSmallIntegerField(_("recency score"))
    frequency = models.PositiveSmallIntegerField(_("frequency score"))
    monetary = models.PositiveSmallIntegerField(_("monetary score"))
    group = models.CharField(_("RFM group"), max_length=16, choices=RfmGroup.choices)
    first_order_on = models.DateField(_("first order"), null=True, blank=True)
    last_order_on = models.DateField(_("last order"))
    orders = models.PositiveIntegerField(_("orders"))
    # In the base currency, converted at each order's date.
    lifetime_value = models.DecimalField(
        _("lifetime value"), max_digits=18, decimal_places=2, default=Decimal("0")
    )
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("RFM score")
        verbose_name_plural = _("RFM scores")
        indexes = [
            models.Index(fields=["group"], name="analytics_rfm_group"),
            models.Index(fields=["-last_order_on", "contact"], name="analytics_rfm_lapsed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recency__range=(1, 5))
                & models.Q(frequency__range=(1, 5))
                & models.Q(monetary__range=(1, 5)),
                name="analytics_rfm_scores_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact_id}: R{self.recency} F{self.frequency} M{self.monetary}"

    @property
    def code(self) -> str:
        return f"{self.recency}{self.frequency}{self.monetary}"


class MonthlyFigures(models.Model):
    """Counted orders of one calendar month and one source, pre-aggregated for the dashboard.

    ``new_customers`` counts contacts whose first purchase fell in the month. Rebuilt by
    ``refresh_analytics``; money in the base currency, converted at each order's date.
    """

    month = models.DateField(_("month"))
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.CASCADE
    )
    orders = models.PositiveIntegerField(_("orders"), default=0)
    revenue = models.DecimalField(
        _("revenue"), max_digits=20, decimal_places=2, default=Decimal("0")
    )
    new_customers = models.PositiveIntegerField(_("new customers"), default=0)

    class Meta:
        verbose_name = _("monthly figures")
        verbose_name_plural = _("monthly figures")
        ordering = ["month", "source_id"]
        indexes = [models.Index(fields=["month"], name="analytics_monthly_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.source_id}"


class CohortFigures(models.Model):
    """Customers of a first-purchase month (``cohort``) who bought ``offset`` months later."""

    cohort = models.DateField(_("cohort"))
    offset = models.PositiveSmallIntegerField(_("months later"))
    customers = models.PositiveIntegerField(_("customers"))

    class Meta:
        verbose_name = _("cohort figures")
        verbose_name_plural = _("cohort figures")
        ordering = ["cohort", "offset"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "offset"], name="analytics_cohort_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cohort:%Y-%m} +{self.offset}"


class LastPurchaseDay(models.Model):
    """How many customers made their latest purchase on ``day``: churn counts for any period."""

    day = models.DateField(_("day"), primary_key=True)
    customers = models.PositiveIntegerField(_("customers"))

    class Meta:
        verbose_name = _("last purchase day")
        verbose_name_plural = _("last purchase days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.customers}"


class Refresh(models.Model):
    """One finished rebuild of the pre-aggregated figures (the newest row is current).

    ``*_bounds`` hold the RFM quintile boundaries of the last full RFM run: the lowest value
    that earns a score of 2, 3, 4 and 5, so one contact can be re-scored between runs.
    """

    finished_at = models.DateTimeField(_("finished"))
    seconds = models.FloatField(_("duration, seconds"))
    with_rfm = models.BooleanField(_("RFM recomputed"), default=False)
    customers = models.PositiveIntegerField(_("customers"), default=0)
    orders = models.PositiveIntegerField(_("orders"), default=0)
    # Orders left out because no exchange rate was known for their day.
    unconverted_orders = models.PositiveIntegerField(_("orders without a rate"), default=0)
    recency_bounds = models.JSONField(default=list, blank=True)
    frequency_bounds = models.JSONField(default=list, blank=True)
    monetary_bounds = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("analytics refresh")
        verbose_name_plural = _("analytics refreshes")
        ordering = ["-finished_at", "-id"]
        get_latest_by = "finished_at"

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M}"
