import factory
from django.core.files.base import ContentFile

from hamkor.accounts.models import Role
from hamkor.imports.models import ImportJob
from tests.accounts.factories import UserFactory


class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportJob

    created_by = factory.SubFactory(UserFactory, role=Role.MANAGER)
    file = factory.LazyFunction(lambda: ContentFile(b"Name;Phone\nAziz;+998901112233\n", "a.csv"))
    original_name = "a.csv"
    file_format = "csv"
    entity = "contact"
    headers = factory.LazyFunction(lambda: ["Name", "Phone"])
    mapping = factory.LazyFunction(lambda: {"Name": "first_name", "Phone": "phone"})
    total_rows = 1
