"""Demo sales data: a cake shop's catalogue and regulars, an agency's deals, exchange rates.

Built on the contacts demo (`hamkor demo`): it sells to the contacts and users already there.
Through the services, so every order and deal is valid and on the timeline.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from hamkor.accounts.models import Role, User
from hamkor.contacts.models import Contact
from hamkor.core.models import ExchangeRate
from hamkor.sales.models import Deal, Order, PaymentType, Pipeline, Product, StageOutcome
from hamkor.sales.services.deals import create_deal, move_deal
from hamkor.sales.services.insight import recompute_insight
from hamkor.sales.services.orders import LineInput, OrderDetails, create_order

# (sku, name, {ru, uz, ky}, category, unit, price, currency)
PRODUCTS = [
    (
        "CAKE-NAP",
        "Napoleon cake",
        {"ru": "Торт Наполеон", "uz": "Napoleon torti", "ky": "Наполеон торту"},
        "Cakes",
        "piece",
        "180000",
        "UZS",
    ),
    (
        "CAKE-MED",
        "Honey cake",
        {"ru": "Медовик", "uz": "Asalli tort", "ky": "Бал торту"},
        "Cakes",
        "piece",
        "165000",
        "UZS",
    ),
    (
        "CAKE-CHO",
        "Chocolate cake",
        {"ru": "Шоколадный торт", "uz": "Shokoladli tort", "ky": "Шоколад торту"},
        "Cakes",
        "piece",
        "210000",
        "UZS",
    ),
    (
        "CAKE-SF",
        "Sugar-free cake",
        {"ru": "Торт без сахара", "uz": "Shakarsiz tort", "ky": "Кантсыз торт"},
        "Cakes",
        "piece",
        "240000",
        "UZS",
    ),
    (
        "PAS-ECL",
        "Eclair",
        {"ru": "Эклер", "uz": "Ekler", "ky": "Эклер"},
        "Pastry",
        "piece",
        "15000",
        "UZS",
    ),
    (
        "PAS-SAM",
        "Samsa with pumpkin",
        {"ru": "Самса с тыквой", "uz": "Oshqovoqli somsa", "ky": "Ашкабак самса"},
        "Pastry",
        "piece",
        "8000",
        "UZS",
    ),
    (
        "PAS-CHK",
        "Chak-chak, 500 g",
        {"ru": "Чак-чак, 500 г", "uz": "Chak-chak, 500 g", "ky": "Чак-чак, 500 г"},
        "Pastry",
        "box",
        "60000",
        "UZS",
    ),
    (
        "CAN-SET",
        "Birthday candles",
        {"ru": "Свечи для торта", "uz": "Tort shamlari", "ky": "Торт шамдары"},
        "Extras",
        "box",
        "12000",
        "UZS",
    ),
    (
        "WEB-SITE",
        "Business website",
        {"ru": "Сайт для бизнеса", "uz": "Biznes sayti", "ky": "Бизнес сайты"},
        "Services",
        "service",
        "1500",
        "USD",
    ),
    (
        "WEB-SEO",
        "SEO, one month",
        {"ru": "SEO, месяц", "uz": "SEO, bir oy", "ky": "SEO, бир ай"},
        "Services",
        "service",
        "300",
        "USD",
    ),
    (
        "WEB-SMM",
        "SMM, one month",
        {"ru": "SMM, месяц", "uz": "SMM, bir oy", "ky": "SMM, бир ай"},
        "Services",
        "service",
        "25000",
        "KGS",
    ),
]
# Units of UZS per unit, roughly as in late 2026; enough for the demo's conversions.
RATES = {
    "USD": Decimal("12050"),
    "EUR": Decimal("13900"),
    "RUB": Decimal("152.5"),
    "KGS": Decimal("137.8"),
}
DEAL_TITLES = [
    "Website redesign",
    "Online shop",
    "SEO for six months",
    "Instagram campaign",
    "Mobile app",
    "Corporate site",
    "Landing page",
    "Telegram bot",
]


@dataclass
class SalesDemoResult:
    products: int = 0
    orders: int = 0
    deals: int = 0
    loyal: int = 0


class SalesDemoExistsError(Exception):
    pass


def _rates(today: datetime.date) -> None:
    for days_back in range(0, 400, 7):
        day = today - datetime.timedelta(days=days_back)
        for code, rate in RATES.items():
            ExchangeRate.objects.get_or_create(
                date=day, currency=code, defaults={"rate": rate, "source": "demo"}
            )


def _products(actor: User) -> dict[str, Product]:
    products = {}
    for sku, name, names, category, unit, price, currency in PRODUCTS:
        products[sku] = Product.objects.create(
            sku=sku,
            name=name,
            name_translations=names,
            category=category,
            unit=unit,
            price=Decimal(price),
            currency=currency,
        )
    return products


def _shop_orders(
    rng: random.Random, contacts: list[Contact], products: dict[str, Product], actor: User
) -> int:
    cakes = [products[s] for s in ("CAKE-NAP", "CAKE-MED", "CAKE-CHO", "CAKE-SF")]
    extras = [products[s] for s in ("PAS-ECL", "PAS-SAM", "PAS-CHK", "CAN-SET")]
    payments = list(PaymentType.objects.filter(is_active=True))
    now = timezone.now()
    count = 0
    for contact in contacts:
        favourite = rng.choice(cakes)
        # Regulars buy their cake every 2-6 weeks; others a few times at random.
        regular = rng.random() < 0.5
        gap = rng.randint(14, 42)
        day = now - datetime.timedelta(days=rng.randint(150, 300))
        while day < now:
            lines = [LineInput(quantity=Decimal(1), product=favourite)]
            if rng.random() < 0.6:
                lines.append(
                    LineInput(quantity=Decimal(rng.randint(1, 6)), product=rng.choice(extras))
                )
            if rng.random() < 0.3:
                lines.append(LineInput(quantity=Decimal(1), product=products["CAN-SET"]))
            create_order(
                actor=actor,
                contact=contact,
                lines=lines,
                details=OrderDetails(
                    currency="UZS",
                    payment_type=rng.choice(payments),
                    channel=rng.choice(["store", "store", "phone", "telegram"]),
                    status="paid",
                    ordered_at=day,
                ),
            )
            count += 1
            step = gap + rng.randint(-3, 3) if regular else rng.randint(30, 120)
            day += datetime.timedelta(days=step)
    return count


def _agency_deals(rng: random.Random, contacts: list[Contact], owner: User) -> int:
    pipeline = Pipeline.objects.order_by("position", "pk").first()
    if pipeline is None:
        return 0
    stages = list(pipeline.stages.order_by("position"))
    today = timezone.localdate()
    count = 0
    for contact in contacts:
        deal = create_deal(
            values={
                "title": rng.choice(DEAL_TITLES),
                "contact": contact,
                "pipeline": pipeline,
                "amount": Decimal(rng.choice([800, 1500, 2500, 4000, 6000])),
                "currency": "USD",
                "expected_close_date": today + datetime.timedelta(days=rng.randint(5, 120)),
            },
            actor=owner,
        )
        target = rng.choice(stages)
        if target != deal.stage:
            reason = "Chose a cheaper agency" if target.outcome == StageOutcome.LOST else ""
            move_deal(deal=deal, stage=target, actor=owner, lost_reason=reason)
        count += 1
    return count


@transaction.atomic
def load_sales_demo(*, seed: int = 7) -> SalesDemoResult:
    """Products, half a year of shop orders, agency deals and rates; refuses to run twice."""
    if (
        Product.objects.filter(sku="CAKE-NAP").exists()
        or Order.objects.exists()
        or Deal.objects.exists()
    ):
        raise SalesDemoExistsError("sales data already exists")
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    manager = User.objects.filter(role=Role.MANAGER).order_by("pk").first()
    if manager is None:
        raise SalesDemoExistsError("no users: run `hamkor demo` first")
    _rates(timezone.localdate())
    products = _products(manager)
    shop = list(
        Contact.objects.filter(archived_at__isnull=True, time_zone="Asia/Tashkent").order_by("pk")[
            :120
        ]
    )
    agency = list(
        Contact.objects.filter(archived_at__isnull=True, time_zone="Asia/Bishkek").order_by("pk")[
            :24
        ]
    )
    agency_owner = (
        User.objects.filter(role=Role.MANAGER, team__name__icontains="Bishkek").first() or manager
    )
    result = SalesDemoResult(products=len(products))
    result.orders = _shop_orders(rng, shop, products, manager)
    result.deals = _agency_deals(rng, agency, agency_owner)
    result.loyal = recompute_insight().loyal
    return result
