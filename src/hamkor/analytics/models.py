from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from hamkor.contacts.models import Contact


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
        indexes = [models.Index(fields=["group"], name="analytics_rfm_group")]
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
