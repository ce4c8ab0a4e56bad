import factory

from hamkor.contacts.models import Company, Contact, ContactEmail, ContactPhone, Source, Tag
from hamkor.contacts.services import refresh_company_search, refresh_contact_search
from tests.accounts.factories import UserFactory


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Source {n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag{n}")


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Company {n}")
    owner = factory.SubFactory(UserFactory)
    team = factory.LazyAttribute(lambda o: o.owner.team if o.owner else None)

    @factory.post_generation
    def index(obj, create, extracted, **kwargs):
        if create:
            refresh_company_search(obj)


class ContactFactory(factory.django.DjangoModelFactory):
    """A contact with derived search text; pass phone="..." / email="..." to add one."""

    class Meta:
        model = Contact
        skip_postgeneration_save = True

    first_name = factory.Sequence(lambda n: f"Dilnoza{n}")
    last_name = "Karimova"
    owner = factory.SubFactory(UserFactory)
    team = factory.LazyAttribute(lambda o: o.owner.team if o.owner else None)

    @factory.post_generation
    def phone(obj, create, extracted, **kwargs):
        if create and extracted:
            ContactPhone.objects.create(contact=obj, number=extracted, is_primary=True)

    @factory.post_generation
    def email(obj, create, extracted, **kwargs):
        if create and extracted:
            ContactEmail.objects.create(contact=obj, email=extracted, is_primary=True)

    @factory.post_generation
    def index(obj, create, extracted, **kwargs):
        if create:
            refresh_contact_search(obj)
