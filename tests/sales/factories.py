from decimal import Decimal

import factory
from django.utils import timezone

from hamkor.sales.models import (
    Deal,
    Order,
    OrderLine,
    PaymentType,
    Pipeline,
    PipelineStage,
    Product,
)
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        django_get_or_create = ("sku",)

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"Cake {n}")
    price = Decimal("150000.00")
    currency = "UZS"


class PaymentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentType
        django_get_or_create = ("name",)

    name = "Cash"


class OrderFactory(factory.django.DjangoModelFactory):
    """An order; ``lines=[(product, quantity), ...]`` adds lines at the product's price."""

    class Meta:
        model = Order
        skip_postgeneration_save = True

    contact = factory.SubFactory(ContactFactory)
    currency = "UZS"
    ordered_at = factory.LazyFunction(timezone.now)
    created_by = factory.SubFactory(UserFactory)
    owner = factory.LazyAttribute(lambda o: o.contact.owner if o.contact else None)
    team = factory.LazyAttribute(lambda o: o.contact.team if o.contact else None)

    @factory.post_generation
    def lines(obj, create, extracted, **kwargs):
        if not create or not extracted:
            return
        total = Decimal("0")
        for position, (product, quantity) in enumerate(extracted):
            line_total = (product.price * Decimal(quantity)).quantize(Decimal("0.01"))
            OrderLine.objects.create(
                order=obj,
                product=product,
                quantity=Decimal(quantity),
                unit_price=product.price,
                line_total=line_total,
                position=position,
            )
            total += line_total
        obj.total = total
        obj.save(update_fields=["total"])


class PipelineFactory(factory.django.DjangoModelFactory):
    """A pipeline with stages New (10 %), Proposal (50 %), Won (100 %), Lost (0 %)."""

    class Meta:
        model = Pipeline
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Pipeline {n}")

    @factory.post_generation
    def stages(obj, create, extracted, **kwargs):
        if not create:
            return
        for position, (name, probability, outcome) in enumerate(
            [
                ("New", 10, "open"),
                ("Proposal", 50, "open"),
                ("Won", 100, "won"),
                ("Lost", 0, "lost"),
            ]
        ):
            PipelineStage.objects.get_or_create(
                pipeline=obj,
                name=name,
                defaults={"position": position, "probability": probability, "outcome": outcome},
            )


class DealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deal

    title = factory.Sequence(lambda n: f"Website {n}")
    contact = factory.SubFactory(ContactFactory)
    pipeline = factory.SubFactory(PipelineFactory)
    stage = factory.LazyAttribute(lambda o: o.pipeline.stages.order_by("position").first())
    amount = Decimal("1000.00")
    currency = "USD"
    owner = factory.LazyAttribute(lambda o: o.contact.owner if o.contact else None)
    team = factory.LazyAttribute(lambda o: o.contact.team if o.contact else None)
