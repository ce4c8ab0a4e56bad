import factory

from hamkor.support.models import (
    Article,
    ArticleCategory,
    ArticleStatus,
    Ticket,
    TicketMessage,
)
from hamkor.support.services import create_ticket
from hamkor.support.services.kb import save_version
from tests.contacts.factories import ContactFactory


class TicketFactory(factory.django.DjangoModelFactory):
    """A new ticket without SLA due times; use services.create_ticket for the full story."""

    class Meta:
        model = Ticket

    contact = factory.SubFactory(ContactFactory)
    subject = factory.Sequence(lambda n: f"My order {n} did not arrive")


class TicketMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketMessage

    ticket = factory.SubFactory(TicketFactory)
    body = "Hello"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleCategory
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Category {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article; pass versions={"en": ("Title", "Body"), ...}."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    category = factory.SubFactory(CategoryFactory)
    status = ArticleStatus.PUBLISHED

    @factory.post_generation
    def versions(obj, create, extracted, **kwargs):
        if not create:
            return
        for language, (title, body) in (
            extracted or {"en": ("Delivery times", "Two days.")}
        ).items():
            save_version(article=obj, language=language, title=title, body=body, actor=None)


def open_ticket(customer, **values):
    """A ticket from ``customer`` through the service, as the portal or a phone call opens one."""
    return create_ticket(
        contact=customer,
        subject=values.pop("subject", "My order did not arrive"),
        body=values.pop("body", "I ordered a cake on Monday."),
        actor=values.pop("actor", None),
        **values,
    )
