"""Products, orders, deal pipelines and what the CRM learns from purchases."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hamkor.accounts.models import TeamOwned
from hamkor.contacts.models import Company, Contact
from hamkor.core.models import TimeStampedModel


class Unit(models.TextChoices):
    PIECE = "piece", _("piece")
    KG = "kg", _("kg")
    GRAM = "g", _("gram")
    LITRE = "l", _("litre")
    METRE = "m", _("metre")
    BOX = "box", _("box")
    HOUR = "hour", _("hour")
    DAY = "day", _("day")
    SERVICE = "service", _("service")


class Product(TimeStampedModel):
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # {"ru": "...", "uz": "...", "ky": "..."}; ``name`` is shown where a language is missing.
    name_translations = models.JSONField(_("name in other languages"), default=dict, blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices, default=Unit.PIECE)
    price = models.DecimalField(_("price"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="sales_product_price")
        ]
        indexes = [models.Index(fields=["category", "name"], name="sales_product_category")]

    def __str__(self) -> str:
        return self.name

    def display_name(self, language: str) -> str:
        return str(self.name_translations.get(language) or self.name)


class PaymentType(models.Model):
    """Cash, card, Payme, Click, …; admins edit the list."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("payment type")
        verbose_name_plural = _("payment types")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class OrderChannel(models.TextChoices):
    STORE = "store", _("Store")
    PHONE = "phone", pgettext_lazy("order channel", "Phone")
    WEB_SHOP = "web_shop", _("Web shop")
    TELEGRAM = "telegram", _("Telegram")
    OTHER = "other", pgettext_lazy("order channel", "Other")


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class OrderOrigin(models.TextChoices):
    STAFF = "staff", _("Entered by staff")
    CUSTOMER = "customer", _("Placed by the customer")


class Order(TimeStampedModel, TeamOwned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    currency = models.CharField(_("currency"), max_length=3)
    payment_type = models.ForeignKey(
        PaymentType,
        verbose_name=_("payment type"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    channel = models.CharField(
        _("channel"), max_length=16, choices=OrderChannel.choices, default=OrderChannel.STORE
    )
    status = models.CharField(
        _("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.CONFIRMED
    )
    origin = models.CharField(
        _("entered by"), max_length=16, choices=OrderOrigin.choices, default=OrderOrigin.STAFF
    )
    notes = models.TextField(_("purpose and notes"), blank=True)
    ordered_at = models.DateTimeField(_("ordered"), default=timezone.now)
    # Sum of the lines after discounts, kept with the order so lists and reports need no join.
    total = models.DecimalField(_("total"), max_digits=16, decimal_places=2, default=Decimal("0"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set by web shops through the Idempotency-Key header: a retry finds the first order.
    idempotency_key = models.CharField(
        max_length=200, null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-ordered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact__isnull=False) | Q(company__isnull=False),
                name="sales_order_has_customer",
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="sales_order_total"),
        ]
        indexes = [
            models.Index(fields=["contact", "-ordered_at"], name="sales_order_contact_time"),
            models.Index(fields=["company", "-ordered_at"], name="sales_order_company_time"),
            models.Index(fields=["status", "-ordered_at"], name="sales_order_status_time"),
        ]

    def __str__(self) -> str:
        return str(_("Order #%(number)s") % {"number": self.pk})


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order_lines",
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    discount_percent = models.DecimalField(
        _("discount, %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    line_total = models.DecimalField(_("line total"), max_digits=16, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sales_line_quantity"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="sales_line_price"),
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0) & Q(discount_percent__lte=100),
                name="sales_line_discount",
            ),
        ]

    def __str__(self) -> str:
        return self.description or (self.product.name if self.product else "")


class Pipeline(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("pipeline")
        verbose_name_plural = _("pipelines")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class StageOutcome(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class PipelineStage(models.Model):
    pipeline = models.ForeignKey(Pipeline, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    probability = models.PositiveSmallIntegerField(
        _("win probability, %"), default=10, validators=[MaxValueValidator(100)]
    )
    outcome = models.CharField(
        _("outcome"), max_length=8, choices=StageOutcome.choices, default=StageOutcome.OPEN
    )

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["pipeline", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pipeline", "name"], name="sales_stage_unique_name"),
            models.CheckConstraint(
                condition=Q(probability__lte=100), name="sales_stage_probability"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Deal(TimeStampedModel, TeamOwned):
    title = models.CharField(_("title"), max_length=200)
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deals",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deals",
    )
    pipeline = models.ForeignKey(
        Pipeline, verbose_name=_("pipeline"), on_delete=models.PROTECT, related_name="deals"
    )
    stage = models.ForeignKey(
        PipelineStage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="deals"
    )
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, default=Decimal("0"))
    currency = models.CharField(_("currency"), max_length=3)
    expected_close_date = models.DateField(_("expected close date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=StageOutcome.choices, default=StageOutcome.OPEN
    )
    lost_reason = models.CharField(_("reason lost"), max_length=255, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Bumped by every change through the services, so a stale edit is refused rather than
    # silently overwriting someone else's (docs/concurrency.md).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="sales_deal_amount")]
        indexes = [
            models.Index(fields=["pipeline", "stage"], name="sales_deal_board"),
            models.Index(fields=["status", "expected_close_date"], name="sales_deal_forecast"),
        ]

    def __str__(self) -> str:
        return self.title


class DealStageChange(models.Model):
    """Every move of a deal between stages: who and when."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.ForeignKey(
        PipelineStage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_stage = models.ForeignKey(PipelineStage, on_delete=models.PROTECT, related_name="+")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.deal_id}: {self.from_stage_id} -> {self.to_stage_id}"


class LoyaltyRule(models.Model):
    """When a customer counts as loyal, and the discount staff are reminded to offer."""

    is_active = models.BooleanField(_("active"), default=True)
    min_orders = models.PositiveIntegerField(
        _("at least this many orders"), null=True, blank=True, default=5
    )
    window_days = models.PositiveIntegerField(_("within days"), default=90)
    min_lifetime_value = models.DecimalField(
        _("or lifetime value of at least (base currency)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    discount_percent = models.DecimalField(
        _("discount to offer, %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        verbose_name = _("loyalty rule")
        verbose_name_plural = _("loyalty rules")

    def __str__(self) -> str:
        return str(_("Loyalty rule"))


class PurchaseCycle(models.Model):
    """A product a contact buys repeatedly: their usual gap and when they are due next."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="purchase_cycles")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    purchases = models.PositiveIntegerField()
    typical_gap_days = models.PositiveIntegerField()
    last_purchased_on = models.DateField()
    next_expected_on = models.DateField(db_index=True)

    class Meta:
        verbose_name = _("purchase cycle")
        verbose_name_plural = _("purchase cycles")
        ordering = ["next_expected_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "product"], name="sales_cycle_unique")
        ]

    def __str__(self) -> str:
        return f"{self.contact_id}/{self.product_id}: {self.next_expected_on}"


class ProductPair(models.Model):
    """How many orders held both products (item-to-item co-occurrence)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    orders = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("product pair")
        verbose_name_plural = _("product pairs")
        constraints = [
            models.UniqueConstraint(fields=["product", "other"], name="sales_pair_unique")
        ]
        indexes = [
            models.Index(fields=["product", "-orders"], name="sales_pair_top"),
            # Covering: "bought together" on the card sums orders per other product for all
            # of a customer's products from the index alone (5.7 -> 2.3 ms on the bench).
            models.Index(fields=["product", "other", "orders"], name="sales_pair_cover"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}+{self.other_id}: {self.orders}"


class PairedOrder(models.Model):
    """The products one order last added to the ``ProductPair`` counts.

    A refresh compares them with the order's products now and applies only the difference,
    so running it twice changes nothing. Orders that add no pair (fewer than two products,
    or not counted) have no row. ``order_id`` is a plain number, not a foreign key: a
    deleted order's pairs must still be found to take them back.
    """

    order_id = models.BigIntegerField(primary_key=True)
    # Sorted distinct product ids joined by commas, e.g. "3,17,42".
    products = models.TextField()

    class Meta:
        verbose_name = _("paired order")
        verbose_name_plural = _("paired orders")

    def __str__(self) -> str:
        return f"{self.order_id}: {self.products}"
